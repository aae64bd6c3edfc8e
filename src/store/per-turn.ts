interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (reason: unknown) => void;
}

/**
 * Answers the calls made in one turn of the event loop with one `run` of them all, for stores
 * where each query is a round trip: on PostgreSQL a round trip costs this process a socket write
 * and a read, more than a small statement does. `run` gets the turn's inputs in the order they
 * were asked and returns one answer for each, in that order; if it fails, every caller of that
 * turn hears the error. A caller waits at most the rest of its turn longer than alone.
 */
export function perTurn<In, Out>(run: (inputs: In[]) => Promise<Out[]>): (input: In) => Promise<Out> {
  let waiting: Array<Waiting<In, Out>> = [];
  const flush = (): void => {
    const batch = waiting;
    waiting = [];
    run(batch.map((w) => w.input))
      .then((outputs) => {
        if (outputs.length !== batch.length) throw new Error(`${outputs.length} answers for ${batch.length} questions`);
        batch.forEach((w, i) => w.resolve(outputs[i] as Out));
      })
      .catch((error: unknown) => batch.forEach((w) => w.reject(error)));
  };
  return (input) =>
    new Promise<Out>((resolve, reject) => {
      if (waiting.push({ input, resolve, reject }) === 1) setImmediate(flush);
    });
}
