// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI can read, and
// before it one line per missing system part whose suites were skipped (test/support/system-parts.ts).
const SKIP_MARK = '[skipped, missing system part]';

class SummaryReporter {
  constructor() {
    /** reason → number of tests skipped for it */
    this.missing = new Map();
  }

  onTestResult(_test, result) {
    for (const assertion of result.testResults) {
      if (assertion.status !== 'pending') continue;
      const title = assertion.ancestorTitles.find((t) => t.includes(SKIP_MARK));
      if (title === undefined) continue;
      const reason = title.slice(title.indexOf(SKIP_MARK) + SKIP_MARK.length).trim();
      this.missing.set(reason, (this.missing.get(reason) ?? 0) + 1);
    }
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
    const failed = results.numFailedTests + (failedSuites > 0 && results.numFailedTests === 0 ? failedSuites : 0);
    let out = '\n';
    for (const [reason, count] of this.missing) out += `SKIPPED ${count} tests: ${reason}\n`;
    process.stdout.write(`${out}tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
