//! Evaluation of unstructured patterns: case-sensitive substring search on the raw message.

use crate::syntax::ast::{Term, TermKind};
use memchr::memmem::Finder;

#[derive(Debug, Clone)]
pub struct TermsProgram {
    required: Vec<Finder<'static>>,
    optional: Vec<Finder<'static>>,
    excluded: Vec<Finder<'static>>,
}

impl TermsProgram {
    pub fn compile(terms: &[Term]) -> Self {
        let finders = |kind| -> Vec<Finder<'static>> {
            terms
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| Finder::new(t.text.as_bytes()).into_owned())
                .collect()
        };
        let required = finders(TermKind::Required);
        let optional =
            if crate::semantics::OPTIONAL_TERMS_IGNORED_WITH_REQUIRED && !required.is_empty() {
                Vec::new()
            } else {
                finders(TermKind::Optional)
            };
        TermsProgram {
            required,
            optional,
            excluded: finders(TermKind::Excluded),
        }
    }

    pub fn matches(&self, msg: &str) -> bool {
        let b = msg.as_bytes();
        self.required.iter().all(|f| f.find(b).is_some())
            && (self.optional.is_empty() || self.optional.iter().any(|f| f.find(b).is_some()))
            && self.excluded.iter().all(|f| f.find(b).is_none())
    }
}
