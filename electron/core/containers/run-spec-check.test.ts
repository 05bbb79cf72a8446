import { describe, expect, it } from 'vitest';
import { BerthError } from '../../contract';
import { checkRunSpec } from './run-spec-check';

function refusal(input: unknown): BerthError {
  try {
    checkRunSpec(input);
  } catch (error) {
    if (error instanceof BerthError) return error;
    throw error;
  }
  throw new Error('expected the run settings to be refused');
}

const port = (hostPort: unknown) => ({ image: 'notas-iv:dev', ports: [{ hostPort, containerPort: 3000 }] });

describe('checkRunSpec', () => {
  it('fills defaults: env {}, host IP 127.0.0.1, tcp, no volumes', () => {
    expect(checkRunSpec({ image: 'notas-iv:dev', ports: [{ hostPort: 8080, containerPort: 3000 }] })).toEqual({
      image: 'notas-iv:dev',
      env: {},
      ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 3000, protocol: 'tcp' }],
      volumes: [],
    });
  });

  it.each([
    [0, 'between 1 and 65535'],
    [70000, 'between 1 and 65535'],
    ['abc', 'must be a number'],
    [80.5, 'whole number'],
  ])('refuses host port %j, naming the field and the fix', (value, why) => {
    const error = refusal(port(value));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('ports.0.hostPort');
    expect(error.message).toContain(why);
    expect(error.fix).toMatch(/ports\.0\.hostPort.*between 1 and 65535/);
    expect(error.fields).toHaveProperty(['ports.0.hostPort']);
  });

  it('refuses an invalid image reference', () => {
    const error = refusal({ image: 'Not A/Valid::Ref' });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^Invalid run settings: image: not a valid image reference/);
    expect(error.fix).toMatch(/lowercase/);
  });

  it('refuses a bad name, unknown keys and relative volume paths', () => {
    expect(refusal({ image: 'a', name: '-bad' }).fields).toHaveProperty(['name']);
    expect(refusal({ image: 'a', privileged: true }).code).toBe('INVALID_INPUT');
    const volume = refusal({ image: 'a', volumes: [{ source: './data', target: '/data' }] });
    expect(volume.message).toContain('volumes.0.source');
    expect(volume.fix).toMatch(/absolute host path/);
    expect(checkRunSpec({ image: 'a', volumes: [{ source: 'notes-data', target: '/data' }] }).volumes).toHaveLength(1);
  });
});
