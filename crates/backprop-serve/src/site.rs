//! Which names the server answers to. A page on another site can point a name it owns
//! at 127.0.0.1 (DNS rebinding) and then read the answers as its own, so only requests
//! whose `Host` is an address of this server are answered; and since any page can send
//! a simple cross-origin POST, a POST whose `Origin` is another site is refused.

use std::net::{IpAddr, SocketAddr};

use crate::reply::ApiError;

/// The address a server listens on, and so the `Host`s it answers to: that address,
/// `localhost` and the loopback addresses (127.0.0.1, \[::1\]), each with the port.
/// A server listening on every interface (0.0.0.0 or \[::\]) also answers to any IP
/// address with its port: a DNS-rebinding page needs a name, never an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    addr: SocketAddr,
}

impl Site {
    /// The site of a server listening on `addr`.
    pub fn new(addr: SocketAddr) -> Site {
        Site { addr }
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address to reach the server at from this machine: the one listened on, or
    /// the loopback address when that is every interface.
    pub fn loopback_addr(&self) -> SocketAddr {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
            ip => ip,
        };
        SocketAddr::new(ip, self.addr.port())
    }

    /// The URL to open the page at.
    pub fn url(&self) -> String {
        format!("http://{}/", self.loopback_addr())
    }

    /// Checks the `Host` header of every request, and the `Origin` of a POST.
    pub fn check(
        &self,
        method: &str,
        host: Option<&str>,
        origin: Option<&str>,
    ) -> Result<(), ApiError> {
        self.check_host(host)?;
        self.check_origin(method, origin)
    }

    /// Checks that `host`, a `Host` header, names this server.
    pub fn check_host(&self, host: Option<&str>) -> Result<(), ApiError> {
        let url = self.url();
        let host = host.ok_or_else(|| {
            ApiError::Forbidden(format!(
                "the request has no Host header; this server answers requests for {url} only"
            ))
        })?;
        if self.answers_to(host) {
            return Ok(());
        }
        Err(ApiError::Forbidden(format!(
            "Host `{}` is not this server's address; open {url} (other names are refused \
             against DNS rebinding)",
            shown(host)
        )))
    }

    /// Checks that a POST's `Origin`, if it has one, is this server. A POST without one
    /// comes from no page (curl, scripts) and is answered.
    pub fn check_origin(&self, method: &str, origin: Option<&str>) -> Result<(), ApiError> {
        match origin {
            Some(origin) if method == "POST" && !self.is_own_origin(origin) => {
                Err(ApiError::Forbidden(format!(
                    "cross-origin request refused: Origin `{}` is not this server ({})",
                    shown(origin),
                    self.url().trim_end_matches('/')
                )))
            }
            _ => Ok(()),
        }
    }

    /// Whether `host` (a `Host` header's value: name or address, and port) is this server.
    pub fn answers_to(&self, host: &str) -> bool {
        let Some((name, port)) = split_port(host) else {
            return false;
        };
        if port.unwrap_or(80) != self.addr.port() {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        // An IPv6 address must be in brackets in a Host.
        let bracketed = literal.len() != name.len();
        match literal.parse::<IpAddr>() {
            Ok(ip) if ip.is_ipv6() != bracketed => false,
            Ok(ip) => ip.is_loopback() || ip == self.addr.ip() || self.addr.ip().is_unspecified(),
            Err(_) => false,
        }
    }

    /// Whether `origin` is `http://` and a host this server answers to, with no path.
    fn is_own_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| !host.contains('/') && self.answers_to(host))
    }
}

/// The name and the port of `host:port`, `[v6]:port` or a bare name; `None` if the
/// port is not a number.
fn split_port(host: &str) -> Option<(&str, Option<u16>)> {
    let colon = match host.rfind(':') {
        // The colons of a bracketed IPv6 address are not a port's.
        Some(i) if !host[i..].contains(']') => i,
        _ => return Some((host, None)),
    };
    let port = host[colon + 1..].parse().ok()?;
    Some((&host[..colon], Some(port)))
}

/// `text` shortened and with control characters escaped, to be quoted in a message.
fn shown(text: &str) -> String {
    let short: String = text.chars().take(100).collect();
    let more = if short.len() < text.len() { "…" } else { "" };
    format!("{}{more}", short.escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(addr: &str) -> Site {
        Site::new(addr.parse().unwrap())
    }

    #[test]
    fn loopback_names_and_the_listening_address_with_the_port_are_answered() {
        let s = site("127.0.0.1:8000");
        for host in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LocalHost:8000",
            "[::1]:8000",
        ] {
            assert!(s.answers_to(host), "{host}");
        }
        for host in [
            "127.0.0.1:8001",
            "127.0.0.1",
            "evil.example:8000",
            "localhost.evil.example:8000",
            "::1:8000",
            "[127.0.0.1]:8000",
            "192.168.1.5:8000",
            "localhost:80x",
            "",
        ] {
            assert!(!s.answers_to(host), "{host}");
        }
        let any = site("0.0.0.0:80");
        assert!(any.answers_to("192.168.1.5"));
        assert!(any.answers_to("192.168.1.5:80"));
        assert!(!any.answers_to("backprop.example"));
        assert_eq!(any.url(), "http://127.0.0.1:80/");
        assert_eq!(site("[::]:9").url(), "http://[::1]:9/");
    }

    #[test]
    fn only_same_site_origins_may_post() {
        let s = site("127.0.0.1:8000");
        let host = Some("localhost:8000");
        assert!(s.check("POST", host, None).is_ok());
        assert!(s.check("POST", host, Some("http://localhost:8000")).is_ok());
        assert!(s.check("POST", host, Some("http://127.0.0.1:8000")).is_ok());
        for origin in [
            "http://evil.example",
            "https://localhost:8000",
            "null",
            "http://localhost:8000/x",
        ] {
            let e = s.check("POST", host, Some(origin)).unwrap_err();
            assert_eq!(e.status(), 403);
            assert_eq!(
                e.to_string(),
                format!(
                    "cross-origin request refused: Origin `{origin}` is not this server (http://127.0.0.1:8000)"
                )
            );
        }
        // A cross-origin GET cannot read the answer; the browser sees to that.
        assert!(s.check("GET", host, Some("http://evil.example")).is_ok());
        let e = s.check("GET", Some("evil\n.example"), None).unwrap_err();
        assert!(e.to_string().starts_with("Host `evil\\n.example` is not"));
    }
}
