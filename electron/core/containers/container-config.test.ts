import { describe, expect, it } from 'vitest';
import { BERTH_LABEL, createOptions, SPEC_LABEL } from './container-config';
import { checkRunSpec } from './run-spec-check';

describe('createOptions', () => {
  it('sets env, exposed ports, bindings on the host IP, volumes, command and the spec label', () => {
    const spec = checkRunSpec({
      image: 'notas-iv:dev',
      name: 'notes',
      env: { PORT: '3000' },
      ports: [{ hostPort: 8080, containerPort: 3000 }],
      volumes: [
        { source: 'notes-data', target: '/data' },
        { source: '/srv/conf', target: '/conf', readOnly: true },
      ],
      command: ['node', 'server.js'],
    });
    const options = createOptions(spec);
    expect(options).toMatchObject({
      name: 'notes',
      Image: 'notas-iv:dev',
      Env: ['PORT=3000'],
      Cmd: ['node', 'server.js'],
      ExposedPorts: { '3000/tcp': {} },
      HostConfig: {
        PortBindings: { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] },
        Binds: ['notes-data:/data', '/srv/conf:/conf:ro'],
      },
    });
    expect(JSON.parse(options.Labels?.[SPEC_LABEL] ?? '')).toEqual(spec);
  });

  it('adds the engine connection’s labels, which cannot replace Berth’s own', () => {
    const spec = checkRunSpec({ image: 'notas-iv:dev' });
    const options = createOptions(spec, { 'io.berth.test-run': 'r1', [BERTH_LABEL]: 'no', [SPEC_LABEL]: 'no' });
    expect(options.Labels).toEqual({
      'io.berth.test-run': 'r1',
      [BERTH_LABEL]: 'true',
      [SPEC_LABEL]: JSON.stringify(spec),
    });
  });
});
