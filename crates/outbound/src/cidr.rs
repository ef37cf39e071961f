//! Address blocks written as `10.0.0.0/8` or `fd00::/8` (a bare address is a block of one).
//! Small enough to keep here rather than pull a crate in for it.

use std::net::IpAddr;
use std::str::FromStr;

/// An IPv4 or IPv6 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or a block such as 10.0.0.0/8 or fd00::/8")]
pub struct CidrError(pub String);

impl Cidr {
    /// The block of `prefix` leading bits of `address` (bits after the prefix are ignored).
    pub fn new(address: IpAddr, prefix: u8) -> Option<Cidr> {
        let max = max_prefix(address);
        (prefix <= max).then(|| Cidr {
            network: mask(address, prefix),
            prefix,
        })
    }

    /// A block holding only `address`.
    pub fn single(address: IpAddr) -> Cidr {
        Cidr {
            network: address,
            prefix: max_prefix(address),
        }
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let same_family = matches!(
            (self.network, address),
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_))
        );
        same_family && mask(address, self.prefix) == self.network
    }

    /// Whether the block is one address (a /32 or a /128).
    pub fn is_single(&self) -> bool {
        self.prefix == max_prefix(self.network)
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(input: &str) -> Result<Cidr, CidrError> {
        let error = || CidrError(input.to_owned());
        let (address, prefix) = match input.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (input, None),
        };
        let address = address.trim_start_matches('[').trim_end_matches(']');
        let address: IpAddr = address.parse().map_err(|_| error())?;
        match prefix {
            None => Ok(Cidr::single(address)),
            // Digits only: `u8::from_str` would also take a leading `+`.
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => {
                let prefix: u8 = p.parse().map_err(|_| error())?;
                Cidr::new(address, prefix).ok_or_else(error)
            }
            Some(_) => Err(error()),
        }
    }
}

fn max_prefix(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

fn mask(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let kept = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((bits & kept).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let kept = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((bits & kept).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn blocks_contain_their_addresses_only() {
        let block: Cidr = "10.1.2.3/8".parse().unwrap();
        assert!(block.contains(ip("10.255.0.1")));
        assert!(!block.contains(ip("11.0.0.1")));
        let block: Cidr = "172.16.0.0/12".parse().unwrap();
        assert!(block.contains(ip("172.31.255.255")));
        assert!(!block.contains(ip("172.32.0.0")));
        let block: Cidr = "fd00::/8".parse().unwrap();
        assert!(block.contains(ip("fd12::1")));
        assert!(!block.contains(ip("fe80::1")));
        assert!(!block.contains(ip("10.0.0.1")), "another family");
    }

    #[test]
    fn zero_and_full_prefixes_work() {
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
        let all6: Cidr = "::/0".parse().unwrap();
        assert!(all6.contains(ip("2001:db8::1")));
        let one: Cidr = "192.168.0.7".parse().unwrap();
        assert!(one.is_single() && one.contains(ip("192.168.0.7")));
        assert!(!one.contains(ip("192.168.0.8")));
        let one6: Cidr = "[::1]".parse().unwrap();
        assert!(one6.is_single() && one6.contains(ip("::1")));
    }

    #[test]
    fn malformed_blocks_are_refused() {
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "10.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/a",
            "example.com",
            "10.0.0.0/8/8",
            "10.0.0.0/0008",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }
}
