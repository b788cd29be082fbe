//! `allow_ips` entries: an IP address or a CIDR block, matched against the client address.
//! On `core::net`'s address parser, which the Worker has anyway for `CF-Connecting-IP`,
//! instead of the `ipnet` crate's own parser and types (1.8 KB of the wasm); the tests
//! check it against the crate.

use std::net::IpAddr;

/// A block of addresses: an address and how many of its leading bits every member shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `203.0.113.0/24`, `2001:db8::/32`, or a bare address (a block of one). Host bits
    /// past the prefix are allowed and ignored, as `ipnet` allows them.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let (max, digits) = if addr.is_ipv4() { (32, 2) } else { (128, 3) };
        let prefix = match prefix {
            None => max,
            // Digits only (no sign or space), no more than the longest prefix has, as `ipnet` reads them.
            Some(p) if !p.is_empty() && p.len() <= digits && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok().filter(|&n| n <= max)?,
            Some(_) => return None,
        };
        Some(Self { addr, prefix })
    }

    /// Whether `ip` is in the block (an IPv4 address is never in an IPv6 block, nor the
    /// reverse).
    #[must_use]
    pub fn contains(&self, ip: &IpAddr) -> bool {
        let (net, ip, bits) = match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => (u128::from(u32::from(net)), u128::from(u32::from(*ip)), 32),
            (IpAddr::V6(net), IpAddr::V6(ip)) => (u128::from(net), u128::from(*ip), 128),
            _ => return false,
        };
        let host_bits = bits - u32::from(self.prefix);
        // A shift by 128 would overflow: a /0 block holds every address of its family.
        host_bits >= 128 || (net ^ ip) >> host_bits == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(rng: &mut crate::test_rng::Xorshift) -> String {
        let addr = if rng.below(2) == 0 {
            format!("{}.{}.{}.{}", rng.below(256), rng.below(256), rng.below(256), rng.below(256))
        } else {
            let groups: Vec<String> = (0..8).map(|_| format!("{:x}", if rng.below(3) == 0 { 0 } else { rng.below(65_536) })).collect();
            groups.join(":")
        };
        match rng.below(4) {
            0 => addr,
            _ => format!("{addr}/{}", rng.below(140)),
        }
    }

    #[test]
    fn agrees_with_ipnet_on_parsing_and_membership() {
        let mut rng = crate::test_rng::Xorshift(0x51ed_270b);
        let mut checked = 0;
        for _ in 0..20_000 {
            let text = generated(&mut rng);
            let theirs = text.parse::<ipnet::IpNet>().ok().or_else(|| text.parse::<IpAddr>().ok().map(ipnet::IpNet::from));
            let ours = Cidr::parse(&text);
            assert_eq!(ours.is_some(), theirs.is_some(), "{text}");
            let (Some(ours), Some(theirs)) = (ours, theirs) else { continue };
            for _ in 0..8 {
                let probe: IpAddr = generated(&mut rng).split('/').next().unwrap_or_default().parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
                // Half the probes near the block: its own address with low bits changed.
                let near = match (theirs.addr(), rng.below(2)) {
                    (IpAddr::V4(a), 0) => IpAddr::V4(std::net::Ipv4Addr::from(u32::from(a) ^ (rng.below(1 << 16) as u32))),
                    (IpAddr::V6(a), 0) => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(a) ^ u128::from(rng.below(1 << 40)))),
                    _ => probe,
                };
                assert_eq!(ours.contains(&near), theirs.contains(&near), "{text} {near}");
                checked += 1;
            }
        }
        assert!(checked > 50_000, "{checked}");
    }

    #[test]
    fn refuses_what_is_not_an_address_or_block() {
        for text in ["", "/", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/0008", "10.0.0/8", "10.0.0.0/8/8", " 10.0.0.1", "example.com", "10.0.0.0/8x"] {
            assert_eq!(Cidr::parse(text), None, "{text:?}");
            let theirs = text.parse::<ipnet::IpNet>().ok().or_else(|| text.parse::<IpAddr>().ok().map(ipnet::IpNet::from));
            assert_eq!(theirs, None, "ipnet: {text:?}");
        }
    }

    #[test]
    fn odd_spellings_read_as_ipnet_reads_them() {
        for text in ["10.0.0.0/08", "10.0.0.0/008", "::ffff:10.0.0.1/120", "::/000", "::/0000", "::/0128", "0:0:0:0:0:0:0:1/128", "1.2.3.4/32"] {
            let theirs = text.parse::<ipnet::IpNet>().ok();
            assert_eq!(Cidr::parse(text).is_some(), theirs.is_some(), "{text:?}");
        }
    }

    #[test]
    fn a_block_holds_its_range_and_nothing_else() {
        let net = Cidr::parse("203.0.113.77/24").unwrap_or_else(|| unreachable!());
        let ip = |s: &str| s.parse::<IpAddr>().unwrap_or_else(|_| unreachable!());
        assert!(net.contains(&ip("203.0.113.0")) && net.contains(&ip("203.0.113.255")));
        assert!(!net.contains(&ip("203.0.114.0")) && !net.contains(&ip("::ffff:203.0.113.1")));
        assert!(Cidr::parse("0.0.0.0/0").is_some_and(|n| n.contains(&ip("255.1.2.3")) && !n.contains(&ip("::1"))));
        assert!(Cidr::parse("::/0").is_some_and(|n| n.contains(&ip("2001:db8::1")) && !n.contains(&ip("10.0.0.1"))));
        assert!(Cidr::parse("2001:db8::1").is_some_and(|n| n.contains(&ip("2001:db8::1")) && !n.contains(&ip("2001:db8::2"))));
    }
}
