import { perTurn } from '../../src/store/per-turn';

describe('perTurn', () => {
  test('the calls of one turn share one run, answered in the order asked; the next turn runs again', async () => {
    const runs: number[][] = [];
    const double = perTurn(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs.map((n) => n * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  test('a failed run, or one answering the wrong number of calls, rejects every call of its turn', async () => {
    const failing = perTurn(async (_inputs: number[]): Promise<number[]> => {
      throw new Error('database gone');
    });
    const results = await Promise.allSettled([failing(1), failing(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const short = perTurn(async (_inputs: number[]) => [1]);
    await expect(Promise.all([short(1), short(2)])).rejects.toThrow('1 answers for 2 questions');
  });
});
