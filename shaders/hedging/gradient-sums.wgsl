// Part of the hedging program (widget/models/hedging/webgpu/program.ts).
// ---------------------------------------------------------------------------------------------------
// Workgroup gradient sums. Every backward step the threads stage their rows (activations and their
// gradients) SUB at a time in workgroup memory. Each parameter's gradient is the sum over paths and
// steps of the product of two row columns, and the products form 4 x 4 tiles: a tile is 4 consecutive
// columns at `a` times 4 consecutive columns at `b` (column groups below). Thread lid owns the tiles
// lid, lid + WG, ...: per staged path it loads 8 values for 16 products, and keeps its sums in
// registers over the sub-batch.
//
// Tiles (T = H / 4): W2 (T * T: dz2 block x h1 block), W1 and b1 (T: dz1 block x [tau spot prev 1]),
// b2 (T: dz2 block x [1 ..]), W3 (T: h2 block x [1 dz3 ..]), and one for b3, p0 and the two loss
// sums ([dz3 up loss y] x [1 ..]).

// Row columns.
const C_H1 = 0u;
const C_H2 = H;
const C_DZ1 = 2u * H;
const C_DZ2 = 3u * H;
const C_TAU = 4u * H;
const C_SPOT = 4u * H + 1u;
const C_PREV = 4u * H + 2u;
const C_ONE = 4u * H + 3u;
const C_DZ3 = 4u * H + 4u;
const C_UP = 4u * H + 5u;
const C_LOSS = 4u * H + 6u;
const C_Y = 4u * H + 7u;

const T4 = H / 4u;
const NTILE = T4 * T4 + 3u * T4 + 1u;

var<workgroup> stage: array<f32, SUB * ROW>;
// Tile sums: [NSLOT][4 rows] of 4 columns.
var<private> tacc: array<vec4<f32>, 4u * NSLOT>;

/** The two column groups (a, b) of tile t. */
fn tileColumns(t: u32) -> vec2<u32> {
  if (t < T4 * T4) {
    return vec2<u32>(C_DZ2 + 4u * (t / T4), C_H1 + 4u * (t % T4));
  }
  let u = t - T4 * T4;
  if (u < T4) {
    return vec2<u32>(C_DZ1 + 4u * u, C_TAU);
  }
  if (u < 2u * T4) {
    return vec2<u32>(C_DZ2 + 4u * (u - T4), C_ONE);
  }
  if (u < 3u * T4) {
    return vec2<u32>(C_H2 + 4u * (u - 2u * T4), C_ONE);
  }
  return vec2<u32>(C_DZ3, C_ONE);
}

/** The parameter (or loss sum) whose gradient is product (r, c) of tile t, or PX if none. */
fn tileParam(t: u32, r: u32, c: u32) -> u32 {
  if (t < T4 * T4) {
    return OFF_W2 + (4u * (t / T4) + r) * H + 4u * (t % T4) + c;
  }
  let u = t - T4 * T4;
  if (u < T4) {
    let j = 4u * u + r;
    return select(OFF_B1 + j, 3u * j + c, c < 3u);
  }
  if (u < 2u * T4) {
    return select(PX, OFF_B2 + 4u * (u - T4) + r, c == 0u);
  }
  if (u < 3u * T4) {
    return select(PX, OFF_W3 + 4u * (u - 2u * T4) + r, c == 1u);
  }
  if (c != 0u) {
    return PX;
  }
  // [dz3 up loss y] x 1: b3, p0, the loss sum, the y sum.
  return select(select(OFF_B3, OFF_P0, r == 1u), select(P, P + 1u, r == 3u), r >= 2u);
}

fn initOwners(lid: u32) {
  for (var i = 0u; i < 4u * NSLOT; i++) {
    tacc[i] = vec4<f32>(0.0);
  }
}

/** Adds this backward step's contribution of the whole workgroup into the owners' tile sums. */
fn accumulate(lid: u32, k: u32, extraUp: f32, extraLoss: f32, extraY: f32) {
  for (var sb = 0u; sb < WG / SUB; sb++) {
    if (lid / SUB == sb) {
      let at = (lid % SUB) * ROW;
      for (var j = 0u; j < H; j++) {
        stage[at + C_H1 + j] = h1[j];
        stage[at + C_H2 + j] = h2[j];
        stage[at + C_DZ1 + j] = dz1[j];
        stage[at + C_DZ2 + j] = dz2[j];
      }
      stage[at + C_TAU] = tauAt(k);
      stage[at + C_SPOT] = xin[k];
      stage[at + C_PREV] = prevHedge(k);
      stage[at + C_DZ3] = dz3;
      stage[at + C_ONE] = 1.0;
      stage[at + C_UP] = extraUp;
      stage[at + C_LOSS] = extraLoss;
      stage[at + C_Y] = extraY;
    }
    workgroupBarrier();
    for (var t = lid; t < NTILE; t += WG) {
      let cols = tileColumns(t);
      var s0 = vec4<f32>(0.0);
      var s1 = vec4<f32>(0.0);
      var s2 = vec4<f32>(0.0);
      var s3 = vec4<f32>(0.0);
      for (var q = 0u; q < SUB; q++) {
        let a = q * ROW + cols.x;
        let b = q * ROW + cols.y;
        let bv = vec4<f32>(stage[b], stage[b + 1u], stage[b + 2u], stage[b + 3u]);
        s0 = stage[a] * bv + s0;
        s1 = stage[a + 1u] * bv + s1;
        s2 = stage[a + 2u] * bv + s2;
        s3 = stage[a + 3u] * bv + s3;
      }
      let slot = 4u * (t / WG);
      tacc[slot] = tacc[slot] + s0;
      tacc[slot + 1u] = tacc[slot + 1u] + s1;
      tacc[slot + 2u] = tacc[slot + 2u] + s2;
      tacc[slot + 3u] = tacc[slot + 3u] + s3;
    }
    workgroupBarrier();
  }
}

/** Writes the owners' sums as this workgroup's partials of depth `depth`, and clears them. */
fn flushPartials(lid: u32, wg: u32, depth: u32) {
  for (var t = lid; t < NTILE; t += WG) {
    let slot = 4u * (t / WG);
    for (var r = 0u; r < 4u; r++) {
      let v = tacc[slot + r];
      for (var c = 0u; c < 4u; c++) {
        let p = tileParam(t, r, c);
        if (p < PX) {
          partials[(depth * PX + p) * NWG + wg] = v[c];
        }
      }
      tacc[slot + r] = vec4<f32>(0.0);
    }
  }
}

fn workgroupIndex(wid: vec3<u32>) -> u32 {
  return wid.x + wid.y * GRID_X;
}
