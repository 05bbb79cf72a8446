import { describe, expect, it } from 'vitest';
import { ContainerSummary } from '../../contract';
import {
  engineTime,
  healthFromInspect,
  healthFromStatus,
  portsFromList,
  portsFromMap,
  summaryFromList,
} from './container-view';

describe('container view', () => {
  it('reads health from the engine status text', () => {
    expect(healthFromStatus('Up 3 minutes (healthy)')).toBe('healthy');
    expect(healthFromStatus('Up 2 seconds (health: starting)')).toBe('starting');
    expect(healthFromStatus('Up 1 hour (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatus('Exited (0) 5 minutes ago')).toBeNull();
    expect(healthFromInspect('none')).toBeNull();
    expect(healthFromInspect('healthy')).toBe('healthy');
  });

  it('maps published ports and leaves exposed-only ones out', () => {
    expect(
      portsFromList([
        { IP: '127.0.0.1', PrivatePort: 3000, PublicPort: 8080, Type: 'tcp' },
        { IP: '', PrivatePort: 9000, PublicPort: 0, Type: 'tcp' },
        { IP: '::', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
      ]),
    ).toEqual([
      { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 3000, protocol: 'tcp' },
      { hostIp: '::', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    ]);
    expect(portsFromMap({ '3000/tcp': [{ HostIp: '', HostPort: '8080' }], '9000/tcp': null })).toEqual([
      { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 3000, protocol: 'tcp' },
    ]);
  });

  it('turns engine times into ms and the zero time into null', () => {
    expect(engineTime('2024-01-01T00:00:00.123456789Z')).toBe(1704067200123);
    expect(engineTime('0001-01-01T00:00:00Z')).toBeNull();
  });

  it('builds a summary the contract accepts, without the leading slash', () => {
    const summary = summaryFromList({
      Id: 'abc',
      Names: ['/notes'],
      Image: 'notas-iv:dev',
      ImageID: 'sha256:1',
      Command: 'node',
      Created: 1700000000,
      Ports: [],
      Labels: {},
      State: 'running',
      Status: 'Up 1 second (health: starting)',
      HostConfig: { NetworkMode: 'bridge' },
      NetworkSettings: { Networks: {} },
      Mounts: [],
    });
    expect(ContainerSummary.parse(summary)).toMatchObject({
      name: 'notes',
      created: 1700000000000,
      health: 'starting',
    });
  });
});
