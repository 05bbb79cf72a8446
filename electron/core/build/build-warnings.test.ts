import { outlineDockerfile } from '../project/dockerfile-outline';
import { legacyWarningOf, undeclaredBuildArgs } from './build-warnings';

describe('build warnings', () => {
  it("takes the legacy builder's unused build-args warning, and nothing else", () => {
    expect(legacyWarningOf({ stream: '[Warning] One or more build-args [UNUSED OTHER] were not consumed\n' })).toBe(
      'One or more build-args [UNUSED OTHER] were not consumed',
    );
    expect(legacyWarningOf({ stream: 'Step 1/4 : ARG BASE\n' })).toBeNull();
    expect(legacyWarningOf({ status: '[Warning] One or more build-args [X] were not consumed' })).toBeNull();
  });

  it('finds build args that no ARG of the stages built declares', () => {
    const outline = outlineDockerfile(
      'ARG BASE=alpine\nFROM $BASE AS deps\nARG GREETING=hi\nRUN true\nFROM $BASE AS final\nARG LATE\nRUN true\n',
    );
    const args = { BASE: 'x', GREETING: 'y', LATE: 'z', UNUSED: '1', HTTP_PROXY: 'p', BUILDKIT_INLINE_CACHE: '1' };
    expect(undeclaredBuildArgs(outline, args, 'deps')).toEqual(['LATE', 'UNUSED']);
    expect(undeclaredBuildArgs(outline, args, undefined)).toEqual(['UNUSED']);
    expect(undeclaredBuildArgs(outline, args, 'FINAL')).toEqual(['UNUSED']);
  });
});
