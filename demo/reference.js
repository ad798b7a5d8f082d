// Renders the attribute, property, method, event, part and CSS property reference from
// dist/custom-elements.json (itself generated from the element's JSDoc and the configuration spec).
const target = document.getElementById('reference-tables');

function table(caption, columns, rows) {
  const t = document.createElement('table');
  const cap = t.createCaption();
  cap.textContent = caption;
  cap.style.cssText = 'text-align:left;font-weight:600;padding:4px 0';
  const head = t.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const td = tr.insertCell();
      td.dataset.label = columns[i];
      if (i === 0) {
        const code = document.createElement('code');
        code.textContent = cell;
        td.append(code);
      } else td.textContent = cell ?? '';
    });
  }
  return t;
}

/** One element's tables under a heading with its tag. */
function reference(el) {
  const methods = (el.members ?? []).filter((m) => m.kind === 'method' && !m.privacy && !m.static);
  const heading = document.createElement('h3');
  const tag = document.createElement('code');
  tag.textContent = `<${el.tagName}>`;
  heading.append(tag);
  return [
    heading,
    table('Attributes (properties mirror them in camelCase)', ['attribute', 'type', 'default', 'description'],
      el.attributes.map((a) => [a.name, a.type?.text, a.default, a.description])),
    table('Methods', ['method', 'returns', 'description'],
      methods.map((m) => [`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`, m.return?.type?.text, m.description])),
    table('Events (bubbling and composed)', ['event', 'detail', 'description'],
      (el.events ?? []).filter((e) => e.name.startsWith('cher-')).map((e) => [e.name, e.type?.text, e.description])),
    table('Parts (style with ::part())', ['part', 'description'], (el.cssParts ?? []).map((p) => [p.name, p.description])),
    table('CSS custom properties', ['property', 'default (light / dark)', 'description'],
      (el.cssProperties ?? []).map((p) => [p.name, p.default, p.description])),
  ];
}

try {
  const manifest = await (await fetch('../dist/custom-elements.json')).json();
  const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName?.startsWith('cher-'));
  target.replaceChildren(...elements.flatMap(reference));
} catch (e) {
  target.textContent = `Could not load the reference: ${e.message}`;
}
