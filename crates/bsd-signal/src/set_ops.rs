//! Set operations on `SigSet`: union, intersection, difference, complement, subset tests, and
//! the matching operators.

use core::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, BitXor, Sub, SubAssign};

use bsd_sys::Signal;

use crate::SigSet;

impl SigSet {
    /// The signals in `self` or `other` (`sigorset`); also `a | b`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// let both = SigSet::of(Signal::USR1).union(&SigSet::of(Signal::USR2));
    /// assert!(both.contains(Signal::USR1) && both.contains(Signal::USR2));
    /// ```
    #[doc(alias = "sigorset")]
    #[must_use]
    pub fn union(&self, other: &SigSet) -> SigSet {
        self.iter().chain(other.iter()).collect()
    }

    /// The signals in both `self` and `other` (`sigandset`); also `a & b`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// let a: SigSet = [Signal::USR1, Signal::USR2].into_iter().collect();
    /// assert_eq!(a.intersection(&SigSet::of(Signal::USR2)), SigSet::of(Signal::USR2));
    /// ```
    #[doc(alias = "sigandset")]
    #[must_use]
    pub fn intersection(&self, other: &SigSet) -> SigSet {
        self.iter().filter(|s| other.contains(*s)).collect()
    }

    /// The signals in `self` but not in `other`; also `a - b`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// let a: SigSet = [Signal::USR1, Signal::USR2].into_iter().collect();
    /// assert_eq!(a.difference(&SigSet::of(Signal::USR2)), SigSet::of(Signal::USR1));
    /// ```
    #[must_use]
    pub fn difference(&self, other: &SigSet) -> SigSet {
        self.iter().filter(|s| !other.contains(*s)).collect()
    }

    /// The signals in exactly one of `self` and `other`; also `a ^ b`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// let a: SigSet = [Signal::USR1, Signal::USR2].into_iter().collect();
    /// let b: SigSet = [Signal::USR2, Signal::HUP].into_iter().collect();
    /// let x: SigSet = [Signal::USR1, Signal::HUP].into_iter().collect();
    /// assert_eq!(a.symmetric_difference(&b), x);
    /// ```
    #[must_use]
    pub fn symmetric_difference(&self, other: &SigSet) -> SigSet {
        self.difference(other).union(&other.difference(self))
    }

    /// Every signal of [`SigSet::full`] that is not in `self`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// let c = SigSet::of(Signal::USR1).complement();
    /// assert!(!c.contains(Signal::USR1) && c.contains(Signal::USR2));
    /// ```
    #[must_use]
    pub fn complement(&self) -> SigSet {
        SigSet::full().difference(self)
    }

    /// Whether every signal of `self` is in `other`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// assert!(SigSet::of(Signal::USR1).is_subset(&SigSet::full()));
    /// ```
    pub fn is_subset(&self, other: &SigSet) -> bool {
        self.iter().all(|s| other.contains(s))
    }

    /// Whether `self` and `other` have no signal in common.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// assert!(SigSet::of(Signal::USR1).is_disjoint(&SigSet::of(Signal::USR2)));
    /// ```
    pub fn is_disjoint(&self, other: &SigSet) -> bool {
        self.intersection(other).is_empty()
    }

    /// How many signals the set holds.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// assert_eq!(SigSet::empty().len(), 0);
    /// assert_eq!(SigSet::of(Signal::USR1).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.iter().count()
    }
}

impl BitOr for SigSet {
    type Output = SigSet;
    fn bitor(self, rhs: SigSet) -> SigSet {
        self.union(&rhs)
    }
}

impl BitOr<Signal> for SigSet {
    type Output = SigSet;
    fn bitor(mut self, rhs: Signal) -> SigSet {
        self.add(rhs);
        self
    }
}

impl BitOrAssign for SigSet {
    fn bitor_assign(&mut self, rhs: SigSet) {
        *self = self.union(&rhs);
    }
}

impl BitAnd for SigSet {
    type Output = SigSet;
    fn bitand(self, rhs: SigSet) -> SigSet {
        self.intersection(&rhs)
    }
}

impl BitAndAssign for SigSet {
    fn bitand_assign(&mut self, rhs: SigSet) {
        *self = self.intersection(&rhs);
    }
}

impl Sub for SigSet {
    type Output = SigSet;
    fn sub(self, rhs: SigSet) -> SigSet {
        self.difference(&rhs)
    }
}

impl SubAssign for SigSet {
    fn sub_assign(&mut self, rhs: SigSet) {
        *self = self.difference(&rhs);
    }
}

impl BitXor for SigSet {
    type Output = SigSet;
    fn bitxor(self, rhs: SigSet) -> SigSet {
        self.symmetric_difference(&rhs)
    }
}

impl<'a> IntoIterator for &'a SigSet {
    type Item = Signal;
    type IntoIter = Box<dyn Iterator<Item = Signal> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
