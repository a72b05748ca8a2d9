//! What stops an evaluation early: its [`Limits`] (atoms, time, memory), a [`Cancel`] token
//! from another thread, both together as [`Bounds`], and the [`Deadline`] a search looks at
//! as it goes. Every early stop is an [`EvalError`], never a partial answer.

use crate::diagnostic::Code;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Bounds on one evaluation, so that no input can hang the process or exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Most atoms (true or possibly true, all predicates together) one evaluation may derive.
    pub max_atoms: usize,
    /// Longest one evaluation may take.
    pub time_budget: Option<Duration>,
    /// Most memory, in bytes, the relations of one evaluation may take, as estimated from
    /// their rows, tables and indexes (and the rows a round has found but not stored yet).
    /// An atom of a predicate with many slots takes far more room than one with two, so the
    /// atom limit alone does not bound memory. Default: 2 GiB.
    pub max_memory: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_atoms: 20_000_000,
            time_budget: Some(Duration::from_secs(60)),
            max_memory: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// A request to stop evaluating, made from another thread: a Ctrl-C handler, a stop button.
///
/// Clones share one flag. Give a clone to whatever may cancel, and the token to the
/// evaluation (`Scenario::set_cancel`, or [`Bounds`] for the functions of this
/// module): once [`cancel`](Cancel::cancel) is called, an evaluation that
/// reads the token stops within a few thousand steps of its search with
/// [`EvalError::Cancelled`], and so does every later one until [`reset`](Cancel::reset).
///
/// ```
/// use opinio::{Cancel, EvalError, KnowledgeBase, Scenario};
/// let kb = KnowledgeBase::bundled().unwrap();
/// let mut case = Scenario::new(&kb);
/// case.add_text("case.opinio", "state(x).").unwrap();
/// let cancel = Cancel::new();
/// case.set_cancel(Some(cancel.clone()));
/// cancel.cancel(); // as another thread would
/// let r = case.query("state(x)", None);
/// assert!(matches!(r, Err(opinio::Error::Limit(EvalError::Cancelled))));
/// cancel.reset();
/// assert!(case.query("state(x)", None).is_ok());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token not cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the evaluations reading this token to stop. Any thread may call it.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`cancel`](Cancel::cancel) was called since the last [`reset`](Cancel::reset).
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Withdraws the request, so that the next evaluation runs to its end.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Two tokens are equal when they share their flag.
impl PartialEq for Cancel {
    fn eq(&self, other: &Cancel) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Cancel {}

/// Everything that stops one evaluation early: its [`Limits`] and, if any, a [`Cancel`]
/// token. The evaluation functions take `impl Into<Bounds>`, so `&Limits` does as well.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    /// How many atoms, how much time and memory the evaluation may take.
    pub limits: Limits,
    /// The token that cancels the evaluation, if any.
    pub cancel: Option<Cancel>,
}

impl Bounds {
    /// Why to stop now, with `atoms` derived since `start`: cancelled, too many atoms, or out
    /// of time.
    pub(super) fn stop(&self, start: Instant, atoms: usize) -> Option<EvalError> {
        if self.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
            return Some(EvalError::Cancelled);
        }
        if atoms > self.limits.max_atoms {
            return Some(EvalError::TooManyAtoms {
                limit: self.limits.max_atoms,
            });
        }
        let budget = self.limits.time_budget?;
        let spent = start.elapsed();
        (spent > budget).then_some(EvalError::TimeBudget {
            seconds: spent.as_secs_f64(),
        })
    }
}

impl From<Limits> for Bounds {
    fn from(limits: Limits) -> Bounds {
        Bounds {
            limits,
            cancel: None,
        }
    }
}

impl From<&Limits> for Bounds {
    fn from(limits: &Limits) -> Bounds {
        Bounds::from(*limits)
    }
}

impl From<&Bounds> for Bounds {
    fn from(bounds: &Bounds) -> Bounds {
        bounds.clone()
    }
}

/// Why an evaluation stopped early. Its [`miette::Diagnostic`] code is one of
/// [`Code::TooManyAtoms`], [`Code::TimeBudget`], [`Code::TooMuchMemory`] and
/// [`Code::Cancelled`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// It derived more atoms than [`Limits::max_atoms`].
    #[error("evaluation stopped after deriving more than {limit} {}", if *limit == 1 { "atom" } else { "atoms" })]
    TooManyAtoms {
        /// The limit passed: [`Limits::max_atoms`].
        limit: usize,
    },
    /// It ran longer than [`Limits::time_budget`].
    #[error("evaluation stopped after {}, its time budget", shown_seconds(*seconds))]
    TimeBudget {
        /// How long it ran, in seconds.
        seconds: f64,
    },
    /// Its relations would take more than `limit` bytes ([`Limits::max_memory`]).
    #[error("evaluation stopped: its conclusions would take more than {} of memory", shown_bytes(*limit))]
    TooMuchMemory {
        /// The limit passed, in bytes: [`Limits::max_memory`].
        limit: usize,
    },
    /// Its [`Cancel`] token was cancelled. Nothing is cached: asking again evaluates anew.
    #[error("evaluation stopped: it was cancelled")]
    Cancelled,
}

impl EvalError {
    /// The stable code of this kind of stop (also its [`miette::Diagnostic`] code).
    pub fn stable_code(&self) -> Code {
        match self {
            EvalError::TooManyAtoms { .. } => Code::TooManyAtoms,
            EvalError::TimeBudget { .. } => Code::TimeBudget,
            EvalError::TooMuchMemory { .. } => Code::TooMuchMemory,
            EvalError::Cancelled => Code::Cancelled,
        }
    }
}

impl miette::Diagnostic for EvalError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.stable_code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(match self {
            EvalError::Cancelled => return None,
            EvalError::TimeBudget { .. } => {
                "the rules or facts take longer to evaluate than the time budget allows; if this is expected, raise the limits"
            }
            EvalError::TooManyAtoms { .. } | EvalError::TooMuchMemory { .. } => {
                "the rules or facts produce more conclusions than the limits allow; if this is expected, raise the limits"
            }
        }))
    }
}

/// `512 MiB`, `2 GiB`, `1 byte`: the one wording of sizes (a limit below a MiB is no
/// longer shown as "0 MiB").
fn shown_bytes(bytes: usize) -> String {
    crate::diagnostic::format_size(u64::try_from(bytes).unwrap_or(u64::MAX))
}

/// Whether `bytes` of relations exceed the memory budget.
pub(super) fn over_memory(limits: &Limits, bytes: usize) -> Result<(), EvalError> {
    if bytes > limits.max_memory {
        Err(EvalError::TooMuchMemory {
            limit: limits.max_memory,
        })
    } else {
        Ok(())
    }
}

/// `1.2 s`, or `15 ms` below a second.
fn shown_seconds(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1000.0)
    } else {
        format!("{seconds:.1} s")
    }
}

/// The end of an evaluation's time budget, and its cancellation token, looked at every few
/// thousand rows a search visits: a join of large relations can run for hours within one
/// round, deriving nothing new.
#[derive(Debug)]
pub(crate) struct Deadline {
    at: Option<Instant>,
    cancel: Option<Cancel>,
    steps: std::cell::Cell<u32>,
    passed: std::cell::Cell<bool>,
    cancelled: std::cell::Cell<bool>,
}

impl Deadline {
    /// The deadline and cancellation token of `bounds`, for an evaluation begun at `start`
    /// (`None` if it has neither).
    pub(crate) fn for_bounds(start: Instant, bounds: &Bounds) -> Option<Deadline> {
        let at = bounds.limits.time_budget.and_then(|b| start.checked_add(b));
        if at.is_none() && bounds.cancel.is_none() {
            return None;
        }
        Some(Deadline {
            at,
            cancel: bounds.cancel.clone(),
            steps: std::cell::Cell::new(0),
            passed: std::cell::Cell::new(false),
            cancelled: std::cell::Cell::new(false),
        })
    }

    /// Counts one step of a search; `false` once the deadline has passed or the evaluation
    /// was cancelled.
    pub(crate) fn step(&self) -> bool {
        let n = self.steps.get().wrapping_add(1);
        self.steps.set(n);
        if n % 4096 == 0 {
            if self.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
                self.cancelled.set(true);
            } else if self.at.is_some_and(|at| Instant::now() > at) {
                self.passed.set(true);
            }
        }
        !self.passed.get() && !self.cancelled.get()
    }

    /// Whether a search stopped because the time budget was spent.
    pub(crate) fn passed(&self) -> bool {
        self.passed.get()
    }

    /// Whether a search stopped because the evaluation was cancelled.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancelled.get()
    }

    /// Whether a search stopped, for either reason.
    pub(crate) fn stopped(&self) -> bool {
        self.passed.get() || self.cancelled.get()
    }

    /// Why the search stopped, for an evaluation begun at `start`: [`EvalError::Cancelled`],
    /// else [`EvalError::TimeBudget`].
    pub(crate) fn error(&self, start: Instant) -> EvalError {
        if self.cancelled.get() {
            EvalError::Cancelled
        } else {
            EvalError::TimeBudget {
                seconds: start.elapsed().as_secs_f64(),
            }
        }
    }
}
