/*
 * Icons as inline SVG: they draw the same on every machine, where an emoji or a rare Unicode
 * glyph shows as an empty box when no installed font has it (a bare Linux has no emoji font).
 * They take the text colour and size (1em), and are hidden from screen readers: the text or the
 * aria-label beside them says what they mean.
 */

interface IconProps {
  readonly className?: string;
}

function Svg({ className, children }: IconProps & { children: React.ReactNode }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** A closed folder. */
export function FolderIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M1.75 3.75a1 1 0 0 1 1-1h3.2l1.5 1.6h5.8a1 1 0 0 1 1 1v6.9a1 1 0 0 1-1 1H2.75a1 1 0 0 1-1-1z" />
    </Svg>
  );
}

/** An arrow up and to the left: go to the parent folder. */
export function ParentFolderIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M13.25 13.25V8.5a2 2 0 0 0-2-2H3.5" />
      <path d="M6.5 3.25 3.25 6.5 6.5 9.75" />
    </Svg>
  );
}

/** The product's mark: a terminal prompt in a rounded square. */
export function BrandMark(props: IconProps) {
  return (
    <Svg {...props}>
      <rect
        x="1.25"
        y="1.75"
        width="13.5"
        height="12.5"
        rx="2.5"
        fill="currentColor"
        stroke="none"
      />
      <path d="m4.5 6 2.25 2-2.25 2M8.5 10.5h3" stroke="var(--bg-panel)" strokeWidth="1.6" />
    </Svg>
  );
}
