// Laziness: the element costs nothing until it is on screen, and stops training when it leaves the
// screen or its tab is hidden. Also watches prefers-reduced-motion and prefers-color-scheme.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface VisibilityHost extends ReactiveControllerHost, HTMLElement {
  /** Called whenever `visible` or a media preference changes. */
  visibilityChanged(): void;
  colorSchemeChanged(): void;
}

export class VisibilityController implements ReactiveController {
  /** In (or near) the viewport and in a visible tab. */
  visible = false;
  /** Ever been visible: nothing (no worker, no charts) is started before this. */
  seen = false;
  reducedMotion = false;
  private intersecting = false;
  private observer: IntersectionObserver | null = null;
  private motion: MediaQueryList | null = null;
  private scheme: MediaQueryList | null = null;

  constructor(private readonly host: VisibilityHost) {
    host.addController(this);
  }

  private readonly onVisibility = () => this.recompute();
  private readonly onMotion = () => {
    this.reducedMotion = !!this.motion?.matches;
    this.host.visibilityChanged();
  };
  private readonly onScheme = () => this.host.colorSchemeChanged();

  hostConnected(): void {
    this.motion = matchMedia('(prefers-reduced-motion: reduce)');
    this.reducedMotion = this.motion.matches;
    this.motion.addEventListener('change', this.onMotion);
    this.scheme = matchMedia('(prefers-color-scheme: dark)');
    this.scheme.addEventListener('change', this.onScheme);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) this.intersecting = entry.isIntersecting;
      this.recompute();
    });
    this.observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.motion?.removeEventListener('change', this.onMotion);
    this.scheme?.removeEventListener('change', this.onScheme);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.intersecting = false;
    this.visible = false;
  }

  private recompute(): void {
    const visible = this.intersecting && document.visibilityState === 'visible';
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) this.seen = true;
    this.host.visibilityChanged();
  }
}
