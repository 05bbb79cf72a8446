import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { instanceId, instanceIsDead } from './orphans';

describe('Berth instance ids (liveness for the orphan sweep)', () => {
  it('this process is alive; a process that was killed is dead; a pid now held by another process is dead', async () => {
    const self = instanceId();
    expect(self).toMatch(/^[0-9a-f]{32}-\d+-\d+-[0-9a-f]{16}$/);
    expect(instanceIsDead(self!)).toBe(false);
    // Same pid, another start time: the pid was reused by another process.
    const [boot, pid, start, random] = self!.split('-');
    expect(instanceIsDead(`${boot}-${pid}-${Number(start) + 1}-${random}`)).toBe(true);

    const child = spawn('sleep', ['600'], { stdio: 'ignore' });
    const crashed = instanceId(child.pid);
    expect(crashed).not.toBeNull();
    expect(instanceIsDead(crashed!)).toBe(false);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(instanceIsDead(crashed!)).toBe(true);
  });

  it('never calls dead what it cannot judge: another boot (or machine), or a malformed id', () => {
    const self = instanceId()!;
    const otherBoot = `${'0'.repeat(32)}${self.slice(32)}`;
    expect(instanceIsDead(otherBoot.replace(/-\d+-/, '-999999999-'))).toBe(false);
    expect(instanceIsDead('')).toBe(false);
    expect(instanceIsDead('not-an-id')).toBe(false);
  });
});
