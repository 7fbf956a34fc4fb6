//! The guest's console log → per-binary results.
//!
//! The linux guest's init prints one marker per stage (see `linux::init_script`):
//! `XTASK-VM-BOOTED`, then `XTASK-VM-START <label>` and `XTASK-VM-RESULT <label> exit=<n>`
//! around every test binary, then `XTASK-VM-DONE`. Between START and RESULT is the libtest
//! output, whose `test result:` line gives the counts.

pub const BOOTED: &str = "XTASK-VM-BOOTED";
pub const START: &str = "XTASK-VM-START ";
pub const RESULT: &str = "XTASK-VM-RESULT ";
pub const DONE: &str = "XTASK-VM-DONE";

/// libtest's totals (`test result: ok. 3 passed; 0 failed; 1 ignored; ...`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// Parses one libtest summary line; `None` for any other line.
pub fn parse_test_result(line: &str) -> Option<Counts> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let (_, rest) = rest.split_once(". ")?;
    let mut counts = Counts::default();
    for part in rest.split(';') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        match what {
            "passed" => counts.passed = n,
            "failed" => counts.failed = n,
            "ignored" => counts.ignored = n,
            _ => {}
        }
    }
    Some(counts)
}

/// One test binary's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryResult {
    pub label: String,
    /// The exit status the guest reported; `None` when it started but never finished.
    pub exit: Option<i32>,
    pub counts: Counts,
}

impl BinaryResult {
    pub fn ok(&self) -> bool {
        self.exit == Some(0)
    }
}

/// Everything a serial log says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub booted: bool,
    pub done: bool,
    pub results: Vec<BinaryResult>,
}

/// What one line means, for live progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Booted,
    Started(String),
    Finished(BinaryResult),
    Done,
    Other,
}

impl Report {
    /// Feeds one console line (CR and surrounding noise tolerated).
    pub fn feed(&mut self, raw: &str) -> Event {
        let line = raw.trim_end_matches(['\r', '\n']);
        // Markers may follow other output on the same line (a test that printed without a
        // newline), so look for them anywhere.
        if line.contains(BOOTED) {
            self.booted = true;
            return Event::Booted;
        }
        if let Some(i) = line.find(START) {
            let label = line[i + START.len()..].trim().to_string();
            self.results.push(BinaryResult {
                label: label.clone(),
                exit: None,
                counts: Counts::default(),
            });
            return Event::Started(label);
        }
        if let Some(i) = line.find(RESULT) {
            let rest = line[i + RESULT.len()..].trim();
            let (label, exit) = match rest.rsplit_once(" exit=") {
                Some((l, e)) => (l.trim(), e.trim().parse::<i32>().ok()),
                None => (rest, None),
            };
            let idx = match self.results.iter().rposition(|r| r.label == label) {
                Some(idx) => idx,
                None => {
                    self.results.push(BinaryResult {
                        label: label.to_string(),
                        exit: None,
                        counts: Counts::default(),
                    });
                    self.results.len() - 1
                }
            };
            // A garbled exit code still means "not a clean pass".
            self.results[idx].exit = Some(exit.unwrap_or(-1));
            return Event::Finished(self.results[idx].clone());
        }
        if line.contains(DONE) {
            self.done = true;
            return Event::Done;
        }
        if let Some(c) = parse_test_result(line) {
            if let Some(last) = self.results.last_mut() {
                if last.exit.is_none() {
                    last.counts.add(c);
                }
            }
        }
        Event::Other
    }

    #[cfg(test)]
    pub fn parse(log: &str) -> Report {
        let mut r = Report::default();
        for line in log.lines() {
            r.feed(line);
        }
        r
    }
}

/// The verdict on a run, given the binaries the guest was supposed to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub passed: Vec<BinaryResult>,
    pub failed: Vec<BinaryResult>,
    /// Expected binaries with no result line (never started, or started and never finished).
    pub missing: Vec<String>,
    pub totals: Counts,
    pub problems: Vec<String>,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && self.missing.is_empty() && self.problems.is_empty()
    }
}

pub fn judge(report: &Report, expected: &[String], timed_out: bool) -> Verdict {
    let mut v = Verdict {
        passed: Vec::new(),
        failed: Vec::new(),
        missing: Vec::new(),
        totals: Counts::default(),
        problems: Vec::new(),
    };
    for r in &report.results {
        v.totals.add(r.counts);
        match r.exit {
            Some(0) => v.passed.push(r.clone()),
            Some(_) => v.failed.push(r.clone()),
            None => {}
        }
    }
    for label in expected {
        let finished = report
            .results
            .iter()
            .any(|r| &r.label == label && r.exit.is_some());
        if !finished {
            v.missing.push(label.clone());
        }
    }
    if !report.booted {
        v.problems
            .push("the guest never reached its init (no boot marker)".to_string());
    } else if report.results.is_empty() {
        v.problems
            .push("the guest produced no result line".to_string());
    }
    if timed_out {
        v.problems.push("the guest timed out".to_string());
    } else if report.booted && !report.done {
        v.problems
            .push("the guest stopped before its final marker".to_string());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
Probing EDD (edd=off to disable)... ok\r
XTASK-VM-BOOTED uptime=1.52\r
XTASK-VM-START bsd-sys/lib\r
\r
running 2 tests\r
test a ... ok\r
test b ... ok\r
\r
test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\r
\r
XTASK-VM-RESULT bsd-sys/lib exit=0\r
XTASK-VM-START bsd-time/clocks\r
test result: FAILED. 4 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.20s\r
XTASK-VM-RESULT bsd-time/clocks exit=101\r
XTASK-VM-DONE uptime=3.10\r
";

    fn labels(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn test_result_lines() {
        assert_eq!(
            parse_test_result("test result: ok. 12 passed; 0 failed; 3 ignored; 0 measured"),
            Some(Counts {
                passed: 12,
                failed: 0,
                ignored: 3
            })
        );
        assert_eq!(
            parse_test_result("  test result: FAILED. 1 passed; 2 failed; 0 ignored"),
            Some(Counts {
                passed: 1,
                failed: 2,
                ignored: 0
            })
        );
        assert_eq!(parse_test_result("test foo ... ok"), None);
    }

    #[test]
    fn parses_a_full_log() {
        let r = Report::parse(LOG);
        assert!(r.booted && r.done);
        assert_eq!(r.results.len(), 2);
        assert_eq!(r.results[0].label, "bsd-sys/lib");
        assert_eq!(r.results[0].exit, Some(0));
        assert_eq!(r.results[0].counts.passed, 2);
        assert_eq!(r.results[1].exit, Some(101));
        assert_eq!(r.results[1].counts.failed, 1);
        let v = judge(&r, &labels(&["bsd-sys/lib", "bsd-time/clocks"]), false);
        assert!(!v.ok());
        assert_eq!(v.passed.len(), 1);
        assert_eq!(v.failed[0].label, "bsd-time/clocks");
        assert!(v.missing.is_empty() && v.problems.is_empty());
        assert_eq!(v.totals.passed, 6);
    }

    #[test]
    fn all_passing_is_ok() {
        let log =
            "XTASK-VM-BOOTED\nXTASK-VM-START a/lib\nXTASK-VM-RESULT a/lib exit=0\nXTASK-VM-DONE\n";
        let v = judge(&Report::parse(log), &labels(&["a/lib"]), false);
        assert!(v.ok(), "{v:?}");
    }

    #[test]
    fn missing_results_and_timeouts_fail() {
        // Started, hung, killed: the binary has no result, the run timed out.
        let log = "XTASK-VM-BOOTED\nXTASK-VM-START a/lib\nrunning 1 test\n";
        let v = judge(&Report::parse(log), &labels(&["a/lib", "b/lib"]), true);
        assert!(!v.ok());
        assert_eq!(v.missing, labels(&["a/lib", "b/lib"]));
        assert!(v.problems.iter().any(|p| p.contains("timed out")));

        // No boot at all (for example a KVM hang).
        let v = judge(
            &Report::parse("Probing EDD ... ok\n"),
            &labels(&["a/lib"]),
            true,
        );
        assert!(v.problems.iter().any(|p| p.contains("boot marker")));

        // Booted, then the kernel died before DONE (no timeout).
        let log =
            "XTASK-VM-BOOTED\nXTASK-VM-START a/lib\nXTASK-VM-RESULT a/lib exit=0\nKernel panic\n";
        let v = judge(&Report::parse(log), &labels(&["a/lib"]), false);
        assert!(v.problems.iter().any(|p| p.contains("final marker")));
    }

    #[test]
    fn markers_after_unterminated_output_and_garbled_exit() {
        let mut r = Report::default();
        r.feed("XTASK-VM-BOOTED");
        assert_eq!(
            r.feed("partial outputXTASK-VM-START x/t"),
            Event::Started("x/t".to_string())
        );
        match r.feed("noiseXTASK-VM-RESULT x/t exit=zz\r") {
            Event::Finished(b) => assert_eq!(b.exit, Some(-1)),
            e => panic!("{e:?}"),
        }
        // A result without a start still counts.
        r.feed("XTASK-VM-RESULT y/t exit=0");
        assert_eq!(r.results.len(), 2);
        assert!(r.results[1].ok());
    }
}
