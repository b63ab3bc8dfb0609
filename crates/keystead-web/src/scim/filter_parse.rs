//! The filter parser: a lexer into words, strings and brackets, then recursive descent with the
//! precedence `not` > `and` > `or` (RFC 7644 §3.4.2.2, Figure 1).

use std::fmt;

use serde_json::{Number, Value};

use super::{AttrPath, CompareOp, Filter, MAX_DEPTH, MAX_FILTER_LEN};
use crate::scim::error::ScimError;

/// Parses a filter. A syntax error is a 400 `invalidFilter` whose detail says where (a byte
/// offset) and what; filters over [`MAX_FILTER_LEN`] bytes or nested deeper than [`MAX_DEPTH`]
/// are refused.
pub fn parse(input: &str) -> Result<Filter, ScimError> {
    if input.len() > MAX_FILTER_LEN {
        return Err(ScimError::invalid_filter(format!("the filter is longer than {MAX_FILTER_LEN} bytes")));
    }
    let tokens = lex(input)?;
    if tokens.is_empty() {
        return Err(ScimError::invalid_filter("the filter is empty"));
    }
    let mut parser = Parser { tokens, pos: 0, depth: 0, in_value_filter: false, end: input.len() };
    let filter = parser.or_expr()?;
    match parser.peek() {
        None => Ok(filter),
        Some(token) => Err(parser.error(format!("unexpected {token} after a complete filter"))),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Str(String),
    Word(String),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Open => f.write_str("'('"),
            Token::Close => f.write_str("')'"),
            Token::OpenBracket => f.write_str("'['"),
            Token::CloseBracket => f.write_str("']'"),
            Token::Str(s) => write!(f, "the string {}", Value::from(s.as_str())),
            Token::Word(w) => write!(f, "'{w}'"),
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'_' | b'-' | b'$' | b'+')
}

/// Splits the input into tokens, each with its byte offset.
fn lex(input: &str) -> Result<Vec<(Token, usize)>, ScimError> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let token = match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => Token::Open,
            b')' => Token::Close,
            b'[' => Token::OpenBracket,
            b']' => Token::CloseBracket,
            b'"' => {
                i = string_end(bytes, i)?;
                let literal = input.get(start..i).unwrap_or_default();
                let text = serde_json::from_str(literal).map_err(|e| {
                    ScimError::invalid_filter(format!("at byte {start}: the string {literal} is not valid: {e}"))
                })?;
                tokens.push((Token::Str(text), start));
                continue;
            }
            b if is_word_byte(b) => {
                while bytes.get(i).is_some_and(|&b| is_word_byte(b)) {
                    i += 1;
                }
                tokens.push((Token::Word(input.get(start..i).unwrap_or_default().to_owned()), start));
                continue;
            }
            _ => {
                let c = input.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                return Err(ScimError::invalid_filter(format!("at byte {i}: unexpected character '{c}'")));
            }
        };
        tokens.push((token, start));
        i += 1;
    }
    Ok(tokens)
}

/// The offset just past the closing quote of the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Result<usize, ScimError> {
    let mut i = start + 1;
    loop {
        match bytes.get(i) {
            None => {
                return Err(ScimError::invalid_filter(format!("at byte {start}: the string is not closed")));
            }
            Some(b'\\') => i += 2,
            Some(b'"') => return Ok(i + 1),
            Some(_) => i += 1,
        }
    }
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    pos: usize,
    depth: usize,
    in_value_filter: bool,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).map(|(t, _)| t.clone());
        self.pos += 1;
        token
    }

    /// An error at the current token (or at the end).
    fn error(&self, what: impl fmt::Display) -> ScimError {
        let at = self.tokens.get(self.pos).map_or(self.end, |(_, at)| *at);
        ScimError::invalid_filter(format!("at byte {at}: {what}"))
    }

    /// An error at the token just taken.
    fn error_before(&mut self, what: impl fmt::Display) -> ScimError {
        self.pos = self.pos.saturating_sub(1);
        self.error(what)
    }

    fn keyword(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word));
        if found {
            self.pos += 1;
        }
        found
    }

    fn or_expr(&mut self) -> Result<Filter, ScimError> {
        let mut left = self.and_expr()?;
        while self.keyword("or") {
            left = Filter::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Filter, ScimError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, ScimError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format_args!("the filter is nested deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let filter = match self.next() {
            Some(Token::Open) => {
                let inner = self.or_expr()?;
                self.expect(&Token::Close, "')'")?;
                inner
            }
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("not") => Filter::Not(Box::new(self.unary()?)),
            Some(Token::Word(w)) => self.attr_expr(&w)?,
            Some(other) => {
                return Err(self.error_before(format_args!("expected an attribute, '(' or 'not', found {other}")));
            }
            None => return Err(self.error("the filter ends where an attribute, '(' or 'not' was expected")),
        };
        self.depth -= 1;
        Ok(filter)
    }

    fn expect(&mut self, token: &Token, what: &str) -> Result<(), ScimError> {
        match self.next() {
            Some(t) if t == *token => Ok(()),
            Some(other) => Err(self.error_before(format_args!("expected {what}, found {other}"))),
            None => Err(self.error(format_args!("the filter ends where {what} was expected"))),
        }
    }

    fn attr_expr(&mut self, word: &str) -> Result<Filter, ScimError> {
        let path =
            AttrPath::parse(word).map_err(|_| self.error_before(format_args!("'{word}' is not an attribute path")))?;
        match self.next() {
            Some(Token::OpenBracket) => self.value_path(path),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("pr") => Ok(Filter::Present(path)),
            Some(Token::Word(w)) => match CompareOp::from_word(&w) {
                Some(op) => Ok(Filter::Compare { path, op, value: self.value()? }),
                None => Err(self
                    .error_before(format_args!("'{w}' is not an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)"))),
            },
            Some(other) => Err(self.error_before(format_args!("expected an operator after '{word}', found {other}"))),
            None => Err(self.error(format_args!("the filter ends where an operator after '{word}' was expected"))),
        }
    }

    /// `attr[filter]`, the `[` taken.
    fn value_path(&mut self, attr: AttrPath) -> Result<Filter, ScimError> {
        if self.in_value_filter {
            return Err(self.error_before("a value filter cannot contain another one"));
        }
        if attr.sub.is_some() {
            return Err(
                self.error_before(format_args!("'{attr}' names a sub-attribute; a value filter needs an attribute"))
            );
        }
        self.in_value_filter = true;
        let inner = self.or_expr()?;
        self.in_value_filter = false;
        self.expect(&Token::CloseBracket, "']'")?;
        if matches!(self.peek(), Some(Token::Word(w)) if w.starts_with('.')) {
            return Err(self.error(
                "a sub-attribute after a value filter (emails[type eq \"work\"].value) is only allowed in a PATCH path",
            ));
        }
        Ok(Filter::ValuePath { attr, filter: Box::new(inner) })
    }

    /// A comparison value: a JSON string, number, `true`, `false` or `null`.
    fn value(&mut self) -> Result<Value, ScimError> {
        match self.next() {
            Some(Token::Str(s)) => Ok(Value::String(s)),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("null") => Ok(Value::Null),
            Some(Token::Word(w)) => match serde_json::from_str::<Number>(&w) {
                Ok(n) => Ok(Value::Number(n)),
                Err(_) => Err(self.error_before(format_args!(
                    "expected a value (a \"string\", a number, true, false or null), found '{w}'"
                ))),
            },
            Some(other) => Err(self.error_before(format_args!("expected a value, found {other}"))),
            None => Err(self.error("the filter ends where a value was expected")),
        }
    }
}
