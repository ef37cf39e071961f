//! The client's address: the TCP peer, unless the peer is a proxy named in
//! `server.trusted_proxies`, in which case the forwarding headers it added say who the client is.
//!
//! Anyone can send `X-Forwarded-For`; believing it from any peer let a client pick the address
//! its failed logins were counted against. So the headers count only when the peer is trusted,
//! and then the chain is read from the right (the hops nearest to us, written by proxies we
//! trust) to the first address that is not itself a trusted proxy: entries further left were
//! written by the client and may be forged. Only the one header the proxies write is read
//! (`server.forwarded_header`): most proxies append to `X-Forwarded-For` and pass a client's own
//! `Forwarded` through untouched, so reading either would let the client write the whole chain.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::HeaderMap;

/// The proxies whose forwarding header is believed, and which header they write.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    networks: Vec<Network>,
    header: ForwardedHeader,
}

/// The header the trusted proxies add the client's address to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For` (nginx, HAProxy, cloud load balancers).
    #[default]
    XForwardedFor,
    /// `Forwarded` (RFC 7239 `for=`).
    Forwarded,
}

impl ForwardedHeader {
    /// `x-forwarded-for` or `forwarded`, in any case.
    pub fn parse(name: &str) -> Result<ForwardedHeader, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" | "" => Ok(ForwardedHeader::XForwardedFor),
            "forwarded" => Ok(ForwardedHeader::Forwarded),
            other => Err(format!(
                "server.forwarded_header must be x-forwarded-for or forwarded, not {other:?}"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Network {
    address: IpAddr,
    prefix: u8,
}

impl TrustedProxies {
    /// Parses comma-separated addresses or CIDR blocks (`10.0.0.1, 10.1.0.0/16, fd00::/8`).
    pub fn parse(list: &str, header: ForwardedHeader) -> Result<TrustedProxies, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                Network::parse(item).ok_or_else(|| format!("not an IP address or CIDR: {item}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|networks| TrustedProxies { networks, header })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.networks.iter().any(|network| network.contains(ip))
    }

    /// The client's address for a request from `peer` carrying `headers`.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?.to_canonical();
        if !self.contains(peer) {
            return Some(peer);
        }
        let mut client = peer;
        for hop in forwarded_chain(headers, self.header).into_iter().rev() {
            match hop {
                Some(ip) if self.contains(ip) => client = ip,
                Some(ip) => return Some(ip),
                // "unknown" or an obfuscated name: the last trusted hop is all we know.
                None => return Some(client),
            }
        }
        Some(client)
    }
}

impl Network {
    fn parse(item: &str) -> Option<Network> {
        let (address, prefix) = match item.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u8>().ok()?)),
            None => (item, None),
        };
        let address = address.parse::<IpAddr>().ok()?.to_canonical();
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Network { address, prefix })
    }

    fn contains(self, ip: IpAddr) -> bool {
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The addresses the proxies recorded in `header`, client first. `None` for an entry that is not
/// an address.
fn forwarded_chain(headers: &HeaderMap, header: ForwardedHeader) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect()
    };
    if header == ForwardedHeader::Forwarded {
        return values("forwarded")
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| parse_node(value.trim().trim_matches('"')))
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .flat_map(|value| value.split(','))
        .map(|entry| parse_node(entry.trim()))
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let ip = node
        .parse::<IpAddr>()
        .ok()
        .or_else(|| node.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            node.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let proxies = TrustedProxies::parse("10.0.0.1", XFF).unwrap();
        let h = headers(&[
            ("x-forwarded-for", "192.0.2.9"),
            ("forwarded", "for=192.0.2.8"),
        ]);

        assert_eq!(proxies.client(ip("203.0.113.5"), &h), ip("203.0.113.5"));
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &h),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::parse(" 10.0.0.1 , 10.1.0.0/16", XFF).unwrap();
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 192.0.2.9, 10.1.2.3")]);

        assert_eq!(proxies.client(ip("10.0.0.1"), &h), ip("192.0.2.9"));
    }

    #[test]
    fn only_the_configured_header_is_read_and_forwarded_takes_quoted_ipv6_with_ports() {
        let proxies = TrustedProxies::parse("::1, 10.0.0.0/8", ForwardedHeader::Forwarded).unwrap();
        let by_xff = TrustedProxies::parse("::1, 10.0.0.0/8", XFF).unwrap();
        let h = headers(&[
            ("x-forwarded-for", "192.0.2.9"),
            (
                "forwarded",
                "for=192.0.2.60;proto=http, For=\"[2001:db8::7]:4711\"",
            ),
            ("forwarded", "for=10.0.0.2:8080"),
        ]);

        assert_eq!(proxies.client(ip("::1"), &h), ip("2001:db8::7"));
        // A proxy that appends to X-Forwarded-For passes the client's own Forwarded through:
        // it is never read then.
        assert_eq!(by_xff.client(ip("::1"), &h), ip("192.0.2.9"));
        assert_eq!(
            ForwardedHeader::parse("Forwarded"),
            Ok(ForwardedHeader::Forwarded)
        );
        assert!(ForwardedHeader::parse("x-real-ip").is_err());
    }

    #[test]
    fn an_unknown_hop_stops_the_walk_at_the_last_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.0/8", ForwardedHeader::Forwarded).unwrap();
        let h = headers(&[("forwarded", "for=192.0.2.1, for=unknown, for=10.0.0.3")]);

        assert_eq!(proxies.client(ip("10.0.0.1"), &h), ip("10.0.0.3"));
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_proxies_and_bad_entries_are_refused() {
        let proxies = TrustedProxies::parse("127.0.0.1", XFF).unwrap();
        assert!(proxies.contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(TrustedProxies::parse("10.0.0.0/33", XFF).is_err());
        assert!(TrustedProxies::parse("proxy.example.com", XFF).is_err());
    }
}
