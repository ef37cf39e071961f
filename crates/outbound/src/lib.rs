//! The one guard for connections the server opens on a user's behalf (SMTP now; webhooks and
//! SEFAZ later, DESIGN §9): a host is looked up once, every address it resolves to is judged,
//! and the caller connects to one of the returned addresses (not to the name again, so a DNS
//! answer that changes between the check and the connection cannot reach an internal host).
//! Depends on nothing of ours.

mod cidr;
mod classify;

use std::net::{IpAddr, SocketAddr};

pub use cidr::{Cidr, CidrError};
pub use classify::{Refusal, classify};

/// What the operator allows beyond the public Internet: host names (any address they resolve
/// to) and address blocks, from a comma-separated setting such as
/// `smtp.interno, 10.20.0.0/16, fd00:1::/64`. Empty by default: nothing internal is reachable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowlist {
    hosts: Vec<String>,
    blocks: Vec<Cidr>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is neither a host name nor an IP address or block (such as 10.0.0.0/8)")]
pub struct AllowlistError(pub String);

impl Allowlist {
    pub fn parse(input: &str) -> Result<Allowlist, AllowlistError> {
        let mut allowlist = Allowlist::default();
        for entry in input.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let looks_like_address = entry.contains(':')
                || entry.contains('/')
                || entry.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            if looks_like_address {
                let block = entry
                    .parse::<Cidr>()
                    .map_err(|_| AllowlistError(entry.to_owned()))?;
                allowlist.blocks.push(block);
            } else if is_host_name(entry) {
                allowlist.hosts.push(normalize_host(entry));
            } else {
                return Err(AllowlistError(entry.to_owned()));
            }
        }
        Ok(allowlist)
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty() && self.blocks.is_empty()
    }

    /// `Ok` when a connection to `address` is allowed. A block in the allowlist opens what it
    /// covers, except a metadata address, which only an entry naming that one address opens (a
    /// broad `169.254.0.0/16` is not meant to hand out the instance's credentials).
    pub fn check(&self, address: IpAddr) -> Result<(), Refusal> {
        let address = canonical(address);
        match classify(address) {
            None => Ok(()),
            Some(Refusal::Metadata) => {
                let named = self
                    .blocks
                    .iter()
                    .any(|b| b.is_single() && b.contains(address));
                if named {
                    Ok(())
                } else {
                    Err(Refusal::Metadata)
                }
            }
            Some(refusal) => {
                if self.blocks.iter().any(|b| b.contains(address)) {
                    Ok(())
                } else {
                    Err(refusal)
                }
            }
        }
    }

    fn names(&self, host: &str) -> bool {
        let host = normalize_host(host);
        self.hosts.contains(&host)
    }

    /// Looks `host` up and returns the addresses a connection may go to, in the resolver's
    /// order; the caller connects to one of these, never to the name again. A host the
    /// allowlist names is trusted with whatever it resolves to.
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, OutboundError> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let found: Vec<SocketAddr> = tokio::net::lookup_host((bare, port))
            .await
            .map_err(|_| OutboundError::Unresolved)?
            .collect();
        if found.is_empty() {
            return Err(OutboundError::Unresolved);
        }
        if self.names(bare) {
            return Ok(found);
        }
        let mut refused = None;
        let mut allowed = Vec::new();
        for address in found {
            match self.check(address.ip()) {
                Ok(()) => allowed.push(address),
                Err(refusal) => refused = refused.or(Some(refusal)),
            }
        }
        match refused {
            Some(refusal) if allowed.is_empty() => Err(OutboundError::Refused(refusal)),
            _ => Ok(allowed),
        }
    }
}

/// Why no connection is made. Short texts, safe to show to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("the host name could not be resolved")]
    Unresolved,
    #[error("address not allowed: {0}")]
    Refused(Refusal),
}

/// IPv4-mapped IPv6 written as IPv4, so a block such as `127.0.0.1` in the allowlist covers
/// `::ffff:127.0.0.1` too.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

fn normalize_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

fn is_host_name(entry: &str) -> bool {
    !entry.is_empty()
        && entry.len() <= 253
        && entry.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_setting_takes_hosts_addresses_and_blocks() {
        let list = Allowlist::parse(" smtp.Interno.local. , 10.20.0.0/16,127.0.0.1, fd00:1::/64 ,")
            .unwrap();
        assert!(list.names("SMTP.interno.local"));
        assert_eq!(list.check(ip("10.20.3.4")), Ok(()));
        assert_eq!(list.check(ip("10.21.0.1")), Err(Refusal::Private));
        assert_eq!(list.check(ip("127.0.0.1")), Ok(()));
        assert_eq!(list.check(ip("::ffff:127.0.0.1")), Ok(()));
        assert_eq!(list.check(ip("127.0.0.2")), Err(Refusal::Loopback));
        assert_eq!(list.check(ip("fd00:1::9")), Ok(()));
        assert_eq!(list.check(ip("8.8.8.8")), Ok(()));
        assert!(Allowlist::parse("").unwrap().is_empty());
        assert!(Allowlist::parse(" , ").unwrap().is_empty());
    }

    #[test]
    fn malformed_entries_are_refused() {
        for bad in [
            "10.0.0.0/40",
            "smtp_interno",
            "http://x.com",
            "a..b",
            "-a.com",
            "1.2.3",
        ] {
            assert!(Allowlist::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_empty_allowlist_refuses_every_internal_address() {
        let list = Allowlist::default();
        assert_eq!(list.check(ip("127.0.0.1")), Err(Refusal::Loopback));
        assert_eq!(list.check(ip("169.254.169.254")), Err(Refusal::Metadata));
        assert_eq!(list.check(ip("::ffff:192.168.0.1")), Err(Refusal::Private));
    }

    #[test]
    fn metadata_needs_its_own_entry() {
        let broad = Allowlist::parse("169.254.0.0/16").unwrap();
        assert_eq!(broad.check(ip("169.254.1.1")), Ok(()));
        assert_eq!(broad.check(ip("169.254.169.254")), Err(Refusal::Metadata));
        let named = Allowlist::parse("169.254.169.254").unwrap();
        assert_eq!(named.check(ip("169.254.169.254")), Ok(()));
    }

    #[tokio::test]
    async fn resolve_judges_every_address_of_the_host() {
        let list = Allowlist::default();
        let refused = list.resolve("127.0.0.1", 25).await;
        assert_eq!(refused, Err(OutboundError::Refused(Refusal::Loopback)));
        let refused = list.resolve("[::1]", 25).await;
        assert_eq!(refused, Err(OutboundError::Refused(Refusal::Loopback)));
        let public = list.resolve("8.8.8.8", 25).await.unwrap();
        assert_eq!(public, [SocketAddr::new(ip("8.8.8.8"), 25)]);
        let allowed = Allowlist::parse("127.0.0.0/8").unwrap();
        let found = allowed.resolve("127.0.0.1", 2525).await.unwrap();
        assert_eq!(found, [SocketAddr::new(ip("127.0.0.1"), 2525)]);
        let by_name = Allowlist::parse("localhost").unwrap();
        let found = by_name.resolve("localhost", 25).await.unwrap();
        assert!(found.iter().all(|a| a.ip().is_loopback()), "{found:?}");
        let refused = list.resolve("localhost", 25).await;
        assert_eq!(refused, Err(OutboundError::Refused(Refusal::Loopback)));
    }

    #[tokio::test]
    async fn an_unknown_name_is_unresolved() {
        let list = Allowlist::default();
        let result = list.resolve("no-such-host.invalid", 25).await;
        assert_eq!(result, Err(OutboundError::Unresolved));
    }
}
