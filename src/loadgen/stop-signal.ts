// The first SIGINT or SIGTERM as a promise, listened for from the moment it is asked for, so a
// long-running command that is told to stop while it is still starting prints its summary too.
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
