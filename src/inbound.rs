//! The request as the core sees it: borrowed, already read, no JS types.

/// One webhook delivery. Header names are matched case-insensitively.
#[derive(Clone, Debug)]
pub struct Inbound<'a> {
    /// HTTP method, as received.
    pub method: &'a str,
    /// The full URL as received (scheme, host, path, query). Twilio signs it.
    pub url: &'a str,
    /// Header (name, value) pairs in received order.
    pub headers: &'a [(String, String)],
    /// The raw body bytes, never re-serialised.
    pub body: &'a [u8],
    /// The client address the platform reports (`CF-Connecting-IP`), if any.
    pub client_ip: Option<&'a str>,
}

impl<'a> Inbound<'a> {
    /// The first value of a header, case-insensitively.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The URL's path, without query.
    #[must_use]
    pub fn path(&self) -> &'a str {
        let after_scheme = self.url.find("://").map_or(self.url, |i| &self.url[i + 3..]);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        path.split(['?', '#']).next().unwrap_or(path)
    }

    /// The URL's query string, without `?`, or "".
    #[must_use]
    pub fn query(&self) -> &'a str {
        let q = self.url.split_once('?').map_or("", |(_, q)| q);
        q.split('#').next().unwrap_or(q)
    }

    /// The first value of a query parameter, percent-decoded.
    #[must_use]
    pub fn query_param(&self, name: &str) -> Option<String> {
        crate::form::first(self.query().as_bytes(), name)
    }

    /// The media type of `content-type`, lower-cased, without parameters.
    #[must_use]
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .and_then(|v| v.split(';').next())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(url: &'a str, headers: &'a [(String, String)]) -> Inbound<'a> {
        Inbound { method: "POST", url, headers, body: b"", client_ip: None }
    }

    #[test]
    fn finds_headers_case_insensitively() {
        let h = vec![("X-Signature".to_string(), "a".to_string())];
        assert_eq!(req("https://x/", &h).header("x-signature"), Some("a"));
        assert_eq!(req("https://x/", &h).header("x-other"), None);
    }

    #[test]
    fn splits_path_and_query() {
        let r = req("https://h.example/hooks/a?token=x%20y&b=1#frag", &[]);
        assert_eq!(r.path(), "/hooks/a");
        assert_eq!(r.query(), "token=x%20y&b=1");
        assert_eq!(r.query_param("token").as_deref(), Some("x y"));
        assert_eq!(req("https://h.example", &[]).path(), "/");
    }
}
