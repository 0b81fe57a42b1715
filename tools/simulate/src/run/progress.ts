/**
 * A progress line on stderr: a bar on a terminal (redrawn at most 10 times a second), a line every
 * 10 % otherwise (CI logs, npm start's prefixed output).
 */
export function progressBar(total: number, startMs: number, stream: NodeJS.WriteStream = process.stderr): { update(done: number, simulatedMs: number): void; done(): void } {
  const width = 30;
  let lastDrawMs = 0;
  let lastDecile = -1;
  const line = (done: number, simulatedMs: number) => {
    const share = total ? done / total : 1;
    const filled = Math.round(share * width);
    const when = new Date(startMs + simulatedMs).toISOString().slice(0, 16).replace('T', ' ');
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${done}/${total} actions  simulated ${when} UTC`;
  };
  return {
    update(done, simulatedMs) {
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDrawMs < 100 && done < total) return;
        lastDrawMs = now;
        stream.write(`\r${line(done, simulatedMs)}`);
      } else {
        const decile = Math.floor((done / Math.max(1, total)) * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${line(done, simulatedMs)}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
