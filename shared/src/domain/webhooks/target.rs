//! Where a webhook (or a call to an upstream MCP server) may be sent.
//! Checked when the endpoint is created and
//! again before every delivery (DNS can change):
//!
//! - `https://` only (`http://` and loopback only with the local-development
//!   flag), no credentials in the URL, no fragment;
//! - the host is resolved and EVERY address must be public: private,
//!   loopback, link-local (cloud metadata at 169.254.169.254 and
//!   fd00:ec2::254 included), CGNAT, multicast, broadcast, unspecified,
//!   documentation, benchmarking and reserved ranges are refused, in IPv4
//!   and IPv6 forms (IPv4-mapped, -compatible, NAT64 and 6to4 addresses are
//!   judged by the IPv4 address inside);
//! - the delivery then connects to the checked address itself, so the
//!   host cannot be re-resolved to somewhere else in between.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("{0}")]
    Invalid(String),
    #[error("the host resolves to a non-public address ({0})")]
    Forbidden(IpAddr),
    #[error("the host cannot be resolved: {0}")]
    Unresolved(String),
}

/// What the local-development flag allows beyond the rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allowances {
    /// `http://` and loopback addresses (local receivers in development and tests).
    pub local_development: bool,
}

/// A URL that passed the checks, with the address to connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedTarget {
    pub url: Url,
    /// Connect here (and send the URL's host for TLS and `Host`).
    pub addr: SocketAddr,
}

/// The host of a URL alone, for audit events and logs: its path and query
/// may carry the receiver's own token.
pub fn host_of(url: &str) -> String {
    Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default()
}

/// How the OpenAPI document describes an endpoint's URL: the static rules
/// of [`parse`] (`http://` only in local development). That the host
/// resolves to public addresses only a lookup can tell.
pub struct EndpointUrl;

impl utoipa::PartialSchema for EndpointUrl {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::Custom("uri".into())))
            .max_length(Some(2048))
            .pattern(Some(r"^https?://[^/?#@]+(?:[/?][^#]*)?$"))
            .description(Some(
                "`https://…` (`http://` in local development only), with no credentials or fragment, at most \
                 2048 characters; the host must resolve to public addresses only.",
            ))
            .examples([serde_json::json!("https://hooks.example.com/controlplane")])
            .into()
    }
}

impl utoipa::ToSchema for EndpointUrl {}

/// The static checks: scheme, credentials, host, fragment, length.
pub fn parse(raw: &str, allow: Allowances) -> Result<Url, TargetError> {
    let invalid = |m: &str| TargetError::Invalid(m.to_owned());
    if raw.len() > 2048 {
        return Err(invalid("a URL is at most 2048 characters"));
    }
    let url = Url::parse(raw).map_err(|e| TargetError::Invalid(format!("not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow.local_development => {}
        "http" => return Err(invalid("the URL must use https")),
        _ => return Err(invalid("the URL must use https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("the URL may not carry credentials"));
    }
    if url.fragment().is_some() {
        return Err(invalid("the URL may not carry a fragment"));
    }
    if url.host().is_none() {
        return Err(invalid("the URL needs a host"));
    }
    Ok(url)
}

/// Whether an address may receive webhooks.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..=127).contains(&b)) // CGNAT 100.64.0.0/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240; // reserved
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    let embedded_v4 = || Ipv4Addr::from(((u32::from(segments[6])) << 16) | u32::from(segments[7]));
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) carry an IPv4 address.
    if segments[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_loopback() && !ip.is_unspecified() {
        return is_public_v4(embedded_v4());
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4());
    }
    // 6to4 (2002::/16) carries one in its second and third segments.
    if segments[0] == 0x2002 {
        return is_public_v4(Ipv4Addr::from((u32::from(segments[1]) << 16) | u32::from(segments[2])));
    }
    let refused = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00 // unique local fc00::/7 (AWS metadata fd00:ec2::254)
        || (segments[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (segments[0] & 0xffc0) == 0xfec0 // site-local fec0::/10
        || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
        || (segments[0] == 0x2001 && segments[1] == 0) // Teredo 2001::/32
        || segments[0] == 0x0100 && segments[1..4] == [0, 0, 0]; // discard-only 100::/64
    !refused
}

/// Checks the URL and resolves its host: every address must be public
/// (or loopback, with the local-development flag). Returns the first.
pub async fn check(raw: &str, allow: Allowances) -> Result<CheckedTarget, TargetError> {
    let url = parse(raw, allow)?;
    let host = url.host_str().ok_or_else(|| TargetError::Invalid("the URL needs a host".into()))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|e| TargetError::Unresolved(e.to_string()))?.collect();
    if addrs.is_empty() {
        return Err(TargetError::Unresolved(format!("{host} has no addresses")));
    }
    for addr in &addrs {
        let ip = addr.ip();
        let local_ok = allow.local_development && ip.is_loopback();
        if !is_public(ip) && !local_ok {
            return Err(TargetError::Forbidden(ip));
        }
    }
    Ok(CheckedTarget { url, addr: addrs[0] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_metadata_cgnat_multicast_and_their_v6_forms_are_refused() {
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "255.255.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "192.0.0.8",
            "::1",
            "::",
            "fd00:ec2::254",
            "fc00::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:a9fe:a9fe::1",
            "::10.0.0.1",
            "2001::1",
            "fec0::1",
        ] {
            let ip: IpAddr = refused.parse().unwrap();
            assert!(!is_public(ip), "{refused} must be refused");
        }
        for allowed in [
            "93.184.216.34",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            let ip: IpAddr = allowed.parse().unwrap();
            assert!(is_public(ip), "{allowed} is public");
        }
    }

    #[test]
    fn urls_must_be_https_without_credentials_unless_local_development_allows_http() {
        let strict = Allowances::default();
        assert!(parse("https://hooks.example.com/in", strict).is_ok());
        for bad in [
            "http://hooks.example.com/",
            "ftp://x.example.com/",
            "https://user:pw@hooks.example.com/",
            "https://hooks.example.com/#frag",
            "not a url",
            "https://",
        ] {
            assert!(parse(bad, strict).is_err(), "{bad}");
        }
        assert!(parse("http://127.0.0.1:8080/", Allowances { local_development: true }).is_ok());
    }

    #[tokio::test]
    async fn loopback_and_metadata_endpoints_are_refused_and_only_loopback_is_allowed_in_development() {
        let strict = Allowances::default();
        for url in [
            "https://127.0.0.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/hook",
            "https://[::1]/hook",
            "https://[::ffff:169.254.169.254]/",
        ] {
            assert!(matches!(check(url, strict).await, Err(TargetError::Forbidden(_))), "{url}");
        }
        let dev = Allowances { local_development: true };
        let local = check("http://127.0.0.1:9/hook", dev).await.unwrap();
        assert_eq!(local.addr, "127.0.0.1:9".parse().unwrap());
        assert!(
            matches!(check("http://169.254.169.254/", dev).await, Err(TargetError::Forbidden(_))),
            "metadata never"
        );
        assert!(matches!(check("http://10.0.0.1/", dev).await, Err(TargetError::Forbidden(_))), "private never");
    }
}
