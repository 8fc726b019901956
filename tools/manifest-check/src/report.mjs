// The common output of every command:
//   OK kind/name file
//   FAIL kind/name file: reason; reason
// and a last line "N passed, M failed". Notes (skipped files, skipped checks)
// go to stderr so the stdout stays machine-readable.
export class Report {
  constructor({ quiet = false, out = process.stdout, err = process.stderr } = {}) {
    this.quiet = quiet;
    this.out = out;
    this.err = err;
    this.passed = 0;
    this.failed = 0;
  }

  ok(id, file, detail) {
    this.passed++;
    if (!this.quiet) this.out.write(`OK ${id} ${file}${detail ? ` (${detail})` : ''}\n`);
  }

  fail(id, file, reasons) {
    this.failed++;
    const list = Array.isArray(reasons) ? reasons : [reasons];
    this.out.write(`FAIL ${id} ${file}: ${list.join('; ')}\n`);
  }

  /** One result for an object: OK when there are no reasons. */
  result(id, file, reasons) {
    if (reasons.length) this.fail(id, file, reasons);
    else this.ok(id, file);
  }

  note(text) {
    this.err.write(`${text}\n`);
  }

  /** Print the summary line; returns the exit code (0 all passed, 1 something failed). */
  finish() {
    this.out.write(`${this.passed} passed, ${this.failed} failed\n`);
    return this.failed ? 1 : 0;
  }
}
