/** Live output of the commands the agent runs, one tab per run. */
export function TerminalPanel({ hidden }: { hidden: boolean }) {
  return (
    <section
      id="panel-terminal"
      role="tabpanel"
      className="panel"
      aria-label="Terminal"
      hidden={hidden}
    >
      <h2>Terminal</h2>
      <p className="muted small">
        No commands have run yet. Each command the agent runs gets a tab here with its live output.
      </p>
    </section>
  );
}
