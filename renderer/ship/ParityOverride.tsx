/** The deliberate override a deploy outside the pipeline needs when its image has not passed its parity run. */
export function ParityOverride({
  platform,
  checked,
  onChange,
}: {
  platform: 'Heroku' | 'Azure';
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="parity-override" title={`A deploy waits for "Run as ${platform}" to pass on this image`}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Deploy without a passed
      "Run as {platform}" (override the parity check on purpose)
    </label>
  );
}
