import { z } from 'zod';
import { RunSpec } from './containers';
import { fieldKey, fieldsFromIssues, invalidInput, WHOLE_INPUT } from './fields';

describe('fieldsFromIssues', () => {
  it('keys fields by dotted path and groups their messages in order', () => {
    const parsed = RunSpec.safeParse({ image: 'Bad!', ports: [{ hostPort: 0, containerPort: 'x' }] });
    expect(parsed.success).toBe(false);
    const fields = fieldsFromIssues(parsed.error!.issues);
    expect(Object.keys(fields).sort()).toEqual(['image', 'ports.0.containerPort', 'ports.0.hostPort']);
    expect(fields['ports.0.hostPort']).toEqual(['port must be between 1 and 65535']);
  });

  it('keys a problem with the whole input as WHOLE_INPUT', () => {
    const parsed = z.object({}).strict().safeParse({ extra: 1 });
    expect(Object.keys(fieldsFromIssues(parsed.error!.issues))).toEqual([WHOLE_INPUT]);
    expect(fieldKey([])).toBe('(input)');
  });

  it('takes hand-made issues for checks zod cannot express', () => {
    expect(
      fieldsFromIssues([
        { path: ['volumes', 0, 'source'], message: 'a' },
        { path: ['volumes', 0, 'source'], message: 'b' },
      ]),
    ).toEqual({
      'volumes.0.source': ['a', 'b'],
    });
  });

  it('invalidInput names the fields, their messages and the fix', () => {
    const error = invalidInput('push request', [{ path: ['target'], message: 'not a tag' }]);
    expect(error.toShape()).toEqual({
      code: 'INVALID_INPUT',
      message: 'Invalid push request: target: not a tag',
      fix: 'Correct target and try again.',
      fields: { target: ['not a tag'] },
    });
  });
});
