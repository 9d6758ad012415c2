//! A composite alarm's rule (`AlarmRule`): parsed once when the alarm is put, evaluated whenever a child
//! alarm changes state.
//!
//! The grammar is AWS's (CloudWatch user guide, "Creating a composite alarm"): `ALARM(x)`, `OK(x)` and
//! `INSUFFICIENT_DATA(x)`, where `x` is an alarm's name or ARN, quoted or not; `TRUE` and `FALSE`; `NOT`,
//! `AND`, `OR` (in that order of precedence) and parentheses. `AT_LEAST` is not read here: a rule using it
//! is refused rather than judged wrongly. Parentheses and `NOT`s nest at most
//! [`MAX_ALARM_RULE_DEPTH`] deep, so neither the parser nor the rule it builds can exhaust the stack.

use super::cloudwatch::StateValue;
use crate::limits::MAX_ALARM_RULE_DEPTH;

/// A parsed rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    Const(bool),
    /// The named alarm (name or ARN, as written) is in this state.
    State(StateValue, String),
    Not(Box<Rule>),
    And(Box<Rule>, Box<Rule>),
    Or(Box<Rule>, Box<Rule>),
}

impl Rule {
    /// Parses a rule; the error says what was wrong, for AWS's `InvalidParameterValue`.
    pub fn parse(src: &str) -> Result<Rule, String> {
        let tokens = tokenize(src)?;
        let mut p = Parser {
            tokens,
            at: 0,
            depth: 0,
        };
        let rule = p.or()?;
        match p.tokens.get(p.at) {
            None => Ok(rule),
            Some(t) => Err(format!("Unexpected '{}' in the alarm rule", t.text())),
        }
    }

    /// The alarms the rule names, as written.
    pub fn children(&self) -> Vec<&str> {
        match self {
            Rule::Const(_) => vec![],
            Rule::State(_, a) => vec![a.as_str()],
            Rule::Not(r) => r.children(),
            Rule::And(a, b) | Rule::Or(a, b) => {
                let mut v = a.children();
                v.extend(b.children());
                v
            }
        }
    }

    /// Whether the rule holds, given each named alarm's state (`None` for an alarm that does not exist,
    /// which is in no state).
    pub fn holds(&self, state_of: &dyn Fn(&str) -> Option<StateValue>) -> bool {
        match self {
            Rule::Const(b) => *b,
            Rule::State(s, a) => state_of(a) == Some(*s),
            Rule::Not(r) => !r.holds(state_of),
            Rule::And(a, b) => a.holds(state_of) && b.holds(state_of),
            Rule::Or(a, b) => a.holds(state_of) || b.holds(state_of),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Open,
    Close,
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Word(w) | Token::Quoted(w) => w,
            Token::Open => "(",
            Token::Close => ")",
        }
    }
}

fn tokenize(src: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some(c) => s.push(c),
                        None => {
                            return Err("Unterminated quoted alarm name in the alarm rule".into())
                        }
                    }
                }
                out.push(Token::Quoted(s));
            }
            _ => {
                let mut s = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                        break;
                    }
                    s.push(c);
                    chars.next();
                }
                out.push(Token::Word(s));
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// How many parentheses and `NOT`s enclose the token at `at`.
    depth: usize,
}

impl Parser {
    /// Goes one level deeper (a parenthesis or a `NOT`), refusing a rule nested past the limit.
    fn nest<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        if self.depth >= MAX_ALARM_RULE_DEPTH {
            return Err(format!(
                "The alarm rule nests more than {MAX_ALARM_RULE_DEPTH} levels deep"
            ));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn peek_word(&self, w: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(x)) if x == w)
    }

    fn or(&mut self) -> Result<Rule, String> {
        let mut left = self.and()?;
        while self.peek_word("OR") {
            self.at += 1;
            left = Rule::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Rule, String> {
        let mut left = self.not()?;
        while self.peek_word("AND") {
            self.at += 1;
            left = Rule::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Rule, String> {
        if self.peek_word("NOT") {
            self.at += 1;
            return Ok(Rule::Not(Box::new(self.nest(Self::not)?)));
        }
        self.atom()
    }

    fn expect(&mut self, t: Token) -> Result<(), String> {
        match self.tokens.get(self.at) {
            Some(x) if *x == t => {
                self.at += 1;
                Ok(())
            }
            Some(x) => Err(format!(
                "Expected '{}' but found '{}' in the alarm rule",
                t.text(),
                x.text()
            )),
            None => Err(format!(
                "Expected '{}' at the end of the alarm rule",
                t.text()
            )),
        }
    }

    fn atom(&mut self) -> Result<Rule, String> {
        let t = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or("The alarm rule ends too early")?;
        self.at += 1;
        match t {
            Token::Open => self.nest(|p| {
                let r = p.or()?;
                p.expect(Token::Close)?;
                Ok(r)
            }),
            Token::Word(w) if w == "TRUE" => Ok(Rule::Const(true)),
            Token::Word(w) if w == "FALSE" => Ok(Rule::Const(false)),
            Token::Word(w) => {
                let state = match w.as_str() {
                    "ALARM" => StateValue::Alarm,
                    "OK" => StateValue::Ok,
                    "INSUFFICIENT_DATA" => StateValue::InsufficientData,
                    other => {
                        return Err(format!("Unsupported function '{other}' in the alarm rule"))
                    }
                };
                self.expect(Token::Open)?;
                let name = match self.tokens.get(self.at).cloned() {
                    Some(Token::Quoted(s)) | Some(Token::Word(s)) if !s.is_empty() => s,
                    _ => return Err(format!("{w}() needs an alarm name or ARN")),
                };
                self.at += 1;
                self.expect(Token::Close)?;
                Ok(Rule::State(state, name))
            }
            other => Err(format!("Unexpected '{}' in the alarm rule", other.text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(name: &str) -> Option<StateValue> {
        match name {
            "a" | "arn:aws:cloudwatch:us-east-1:1:alarm:a" => Some(StateValue::Alarm),
            "b" => Some(StateValue::Ok),
            "c" => Some(StateValue::InsufficientData),
            _ => None,
        }
    }

    #[test]
    fn precedence_quotes_and_constants() {
        let r = Rule::parse(r#"ALARM("a") OR ALARM(b) AND NOT OK(b)"#).unwrap();
        assert!(r.holds(&states), "AND binds tighter than OR");
        let r = Rule::parse(r#"(ALARM("a") OR ALARM(b)) AND OK(b)"#).unwrap();
        assert!(r.holds(&states));
        assert!(!Rule::parse("NOT TRUE").unwrap().holds(&states));
        assert!(Rule::parse("INSUFFICIENT_DATA(c)").unwrap().holds(&states));
        assert!(
            Rule::parse(r#"ALARM("arn:aws:cloudwatch:us-east-1:1:alarm:a")"#)
                .unwrap()
                .holds(&states)
        );
        assert!(!Rule::parse("OK(missing)").unwrap().holds(&states));
        assert_eq!(
            Rule::parse(r#"ALARM("a") OR OK(b)"#).unwrap().children(),
            ["a", "b"]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let nested = |n: usize| format!("{}TRUE{}", "(".repeat(n), ")".repeat(n));
        assert!(Rule::parse(&nested(MAX_ALARM_RULE_DEPTH)).is_ok());
        let err = Rule::parse(&nested(MAX_ALARM_RULE_DEPTH + 1)).unwrap_err();
        assert!(err.contains("nests more than"), "{err}");
        let nots = |n: usize| format!("{}TRUE", "NOT ".repeat(n));
        assert!(Rule::parse(&nots(MAX_ALARM_RULE_DEPTH)).is_ok());
        assert!(Rule::parse(&nots(MAX_ALARM_RULE_DEPTH + 1)).is_err());
        // The longest rule AWS takes, all parentheses: refused, not a stack overflow.
        assert!(Rule::parse(&nested(5120)).is_err());
    }

    #[test]
    fn malformed_rules_are_refused() {
        for bad in [
            "",
            "ALARM(",
            "ALARM()",
            r#"ALARM("a"#,
            "ALARM(a) OR",
            "ALARM(a) b",
            "AT_LEAST(1, ALARM, (a, b))",
            "(ALARM(a)",
        ] {
            assert!(Rule::parse(bad).is_err(), "{bad:?}");
        }
    }
}
