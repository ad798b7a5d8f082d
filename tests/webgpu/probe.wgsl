// Test probes (shaders/philox.wgsl is prepended): Philox words and normals of given counters and keys.
// Input: 8 words per probe (counter x4, key x2, unused x2). Output: 4 words per probe.

@group(0) @binding(0) var<storage, read> probeIn: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> probeOut: array<vec4<u32>>;

@compute @workgroup_size(64)
fn probeWords(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&probeOut)) {
    return;
  }
  probeOut[i] = philox(probeIn[2u * i], probeIn[2u * i + 1u].xy);
}

@compute @workgroup_size(64)
fn probeNormals(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&probeOut)) {
    return;
  }
  probeOut[i] = bitcast<vec4<u32>>(normalsOf(philox(probeIn[2u * i], probeIn[2u * i + 1u].xy)));
}
