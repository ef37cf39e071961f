//! Which addresses a connection made on a user's behalf must not reach: everything that is not
//! the public Internet (IANA special-purpose registries, RFC 6890), and the cloud metadata
//! services, whose answers hold the instance's credentials.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused. The text is short and safe to show to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("a cloud metadata address")]
    Metadata,
    #[error("a loopback address")]
    Loopback,
    #[error("a private network address")]
    Private,
    #[error("a link-local address")]
    LinkLocal,
    #[error("a multicast address")]
    Multicast,
    #[error("the unspecified address")]
    Unspecified,
    #[error("the broadcast address")]
    Broadcast,
    #[error("a carrier-grade NAT address")]
    SharedNat,
    #[error("a documentation or benchmarking address")]
    Documentation,
    #[error("a reserved address")]
    Reserved,
}

/// `None` for a public address; otherwise why it is refused.
pub fn classify(address: IpAddr) -> Option<Refusal> {
    match address {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn in_v4(address: Ipv4Addr, network: [u8; 4], prefix: u32) -> bool {
    let kept = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(address) & kept == u32::from(Ipv4Addr::from(network)) & kept
}

fn classify_v4(ip: Ipv4Addr) -> Option<Refusal> {
    // The metadata address sits inside link-local: named first so the reason says what it is.
    const TABLE: &[([u8; 4], u32, Refusal)] = &[
        ([169, 254, 169, 254], 32, Refusal::Metadata),
        ([100, 100, 100, 200], 32, Refusal::Metadata),
        ([255, 255, 255, 255], 32, Refusal::Broadcast),
        ([0, 0, 0, 0], 32, Refusal::Unspecified),
        ([0, 0, 0, 0], 8, Refusal::Reserved),
        ([10, 0, 0, 0], 8, Refusal::Private),
        ([100, 64, 0, 0], 10, Refusal::SharedNat),
        ([127, 0, 0, 0], 8, Refusal::Loopback),
        ([169, 254, 0, 0], 16, Refusal::LinkLocal),
        ([172, 16, 0, 0], 12, Refusal::Private),
        ([192, 0, 0, 0], 24, Refusal::Reserved),
        ([192, 0, 2, 0], 24, Refusal::Documentation),
        ([192, 88, 99, 0], 24, Refusal::Reserved),
        ([192, 168, 0, 0], 16, Refusal::Private),
        ([198, 18, 0, 0], 15, Refusal::Documentation),
        ([198, 51, 100, 0], 24, Refusal::Documentation),
        ([203, 0, 113, 0], 24, Refusal::Documentation),
        ([224, 0, 0, 0], 4, Refusal::Multicast),
        ([240, 0, 0, 0], 4, Refusal::Reserved),
    ];
    TABLE
        .iter()
        .find(|(network, prefix, _)| in_v4(ip, *network, *prefix))
        .map(|(_, _, refusal)| *refusal)
}

fn in_v6(address: Ipv6Addr, network: [u16; 8], prefix: u32) -> bool {
    let kept = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    u128::from(address) & kept == u128::from(Ipv6Addr::from(network)) & kept
}

fn classify_v6(ip: Ipv6Addr) -> Option<Refusal> {
    // An IPv4 address carried inside IPv6 reaches that IPv4 host: judge the IPv4 one.
    // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64, RFC 6052).
    let embedded = Ipv4Addr::from(u32::try_from(u128::from(ip) & 0xffff_ffff).unwrap_or(0));
    if in_v6(ip, [0, 0, 0, 0, 0, 0xffff, 0, 0], 96)
        || in_v6(ip, [0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96)
    {
        return classify_v4(embedded);
    }
    const TABLE: &[([u16; 8], u32, Refusal)] = &[
        (
            [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254],
            128,
            Refusal::Metadata,
        ),
        ([0, 0, 0, 0, 0, 0, 0, 0], 128, Refusal::Unspecified),
        ([0, 0, 0, 0, 0, 0, 0, 1], 128, Refusal::Loopback),
        // The rest of ::/96: deprecated IPv4-compatible addresses.
        ([0, 0, 0, 0, 0, 0, 0, 0], 96, Refusal::Reserved),
        ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48, Refusal::Private),
        ([0x100, 0, 0, 0, 0, 0, 0, 0], 64, Refusal::Reserved),
        ([0x2001, 0x2, 0, 0, 0, 0, 0, 0], 48, Refusal::Documentation),
        (
            [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
            32,
            Refusal::Documentation,
        ),
        ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, Refusal::Documentation),
        // 6to4 relays and Teredo tunnel to IPv4 hosts we cannot judge from here.
        ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, Refusal::Reserved),
        ([0x2001, 0, 0, 0, 0, 0, 0, 0], 32, Refusal::Reserved),
        ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, Refusal::Private),
        ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, Refusal::LinkLocal),
        // Site-local: deprecated, but still routed inside some networks.
        ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, Refusal::Private),
        ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, Refusal::Multicast),
    ];
    TABLE
        .iter()
        .find(|(network, prefix, _)| in_v6(ip, *network, *prefix))
        .map(|(_, _, refusal)| *refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> Option<Refusal> {
        classify(s.parse().unwrap())
    }

    #[test]
    fn public_addresses_pass() {
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "200.147.67.142",
            "172.32.0.1",
            "100.128.0.1",
            "2800:3f0:4001::1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(class(public), None, "{public}");
        }
    }

    #[test]
    fn internal_addresses_are_refused_with_their_kind() {
        use Refusal::*;
        let cases = [
            ("127.0.0.1", Loopback),
            ("127.1.2.3", Loopback),
            ("::1", Loopback),
            ("10.0.0.5", Private),
            ("172.16.0.1", Private),
            ("172.31.255.254", Private),
            ("192.168.1.1", Private),
            ("fc00::1", Private),
            ("fd12:3456::1", Private),
            ("169.254.10.1", LinkLocal),
            ("fe80::1", LinkLocal),
            ("224.0.0.1", Multicast),
            ("239.255.255.250", Multicast),
            ("ff02::1", Multicast),
            ("0.0.0.0", Unspecified),
            ("::", Unspecified),
            ("0.1.2.3", Reserved),
            ("255.255.255.255", Broadcast),
            ("100.64.0.1", SharedNat),
            ("100.127.255.254", SharedNat),
            ("192.0.2.1", Documentation),
            ("198.51.100.7", Documentation),
            ("203.0.113.9", Documentation),
            ("198.18.0.1", Documentation),
            ("198.19.255.1", Documentation),
            ("2001:db8::1", Documentation),
            ("240.0.0.1", Reserved),
            ("169.254.169.254", Metadata),
            ("fd00:ec2::254", Metadata),
            ("100.100.100.200", Metadata),
        ];
        for (address, kind) in cases {
            assert_eq!(class(address), Some(kind), "{address}");
        }
    }

    #[test]
    fn ipv4_inside_ipv6_is_judged_as_ipv4() {
        assert_eq!(class("::ffff:127.0.0.1"), Some(Refusal::Loopback));
        assert_eq!(class("::ffff:10.0.0.1"), Some(Refusal::Private));
        assert_eq!(class("::ffff:169.254.169.254"), Some(Refusal::Metadata));
        assert_eq!(class("64:ff9b::7f00:1"), Some(Refusal::Loopback));
        assert_eq!(class("::127.0.0.1"), Some(Refusal::Reserved));
    }
}
