/** A bar whose length is this layer's share of the largest layer (CSS custom property, CSP-safe). */
export function LayerBar({ size, largest }: { size: number; largest: number }) {
  const fraction = largest > 0 ? size / largest : 0;
  return (
    <span className="layer-bar" aria-hidden="true">
      <span className="layer-bar-fill" style={{ '--fraction': fraction } as React.CSSProperties} />
    </span>
  );
}
