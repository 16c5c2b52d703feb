//! What the web console is told about the deployment it runs in (where the
//! API is, how people sign in), from the environment. The console itself
//! is static; the `internal` function serves it with these settings.

/// `CONTROLPLANE_CONSOLE_API_URL`: the API's base URL when the console is
/// served from another origin (default: the console's own).
pub const API_URL_ENV: &str = "CONTROLPLANE_CONSOLE_API_URL";
/// `CONTROLPLANE_CONSOLE_OIDC_CLIENT_ID`: the console's client at the OIDC
/// issuer (a public client: Authorization Code with PKCE, no secret).
/// Without it the console offers no single sign-on.
pub const OIDC_CLIENT_ID_ENV: &str = "CONTROLPLANE_CONSOLE_OIDC_CLIENT_ID";
/// `CONTROLPLANE_CONSOLE_OIDC_SCOPE` (default `openid email profile`).
pub const OIDC_SCOPE_ENV: &str = "CONTROLPLANE_CONSOLE_OIDC_SCOPE";
/// `CONTROLPLANE_CONSOLE_OIDC_AUDIENCE`: sent as `audience` to issuers
/// that need it to mint an access token for the API.
pub const OIDC_AUDIENCE_ENV: &str = "CONTROLPLANE_CONSOLE_OIDC_AUDIENCE";

pub const DEFAULT_SCOPE: &str = "openid email profile";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleSettings {
    /// Without a trailing `/`.
    pub api_url: Option<String>,
    pub oidc_client_id: Option<String>,
    pub oidc_scope: String,
    pub oidc_audience: Option<String>,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        Self { api_url: None, oidc_client_id: None, oidc_scope: DEFAULT_SCOPE.into(), oidc_audience: None }
    }
}

/// The variable's name and why its value is refused.
pub type Refusal = (&'static str, String);

impl ConsoleSettings {
    /// The settings `var` gives (the process environment, or a test's map).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, Refusal> {
        let set = |name: &str| var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let api_url = set(API_URL_ENV).map(|url| base_url(&url).map_err(|why| (API_URL_ENV, why))).transpose()?;
        let token = |name: &'static str| {
            set(name)
                .map(|v| {
                    if visible_ascii(&v, 256) { Ok(v) } else { Err((name, "1–256 visible ASCII characters".into())) }
                })
                .transpose()
        };
        let oidc_scope = match set(OIDC_SCOPE_ENV) {
            Some(scope) if scope.split(' ').all(|s| visible_ascii(s, 256)) => scope,
            Some(_) => return Err((OIDC_SCOPE_ENV, "scope names of visible ASCII, separated by one space".into())),
            None => DEFAULT_SCOPE.into(),
        };
        Ok(Self {
            api_url,
            oidc_client_id: token(OIDC_CLIENT_ID_ENV)?,
            oidc_scope,
            oidc_audience: token(OIDC_AUDIENCE_ENV)?,
        })
    }
}

fn visible_ascii(value: &str, max: usize) -> bool {
    !value.is_empty() && value.len() <= max && value.bytes().all(|b| b.is_ascii_graphic())
}

/// An `http(s)://host[:port][/path]` base URL, without a trailing `/`,
/// credentials, query or fragment (it is put in a JSON document and a CSP
/// header).
fn base_url(raw: &str) -> Result<String, String> {
    let refused = || format!("expected an http:// or https:// base URL without query or fragment, got `{raw}`");
    let url = url::Url::parse(raw).map_err(|_| refused())?;
    let plain =
        url.query().is_none() && url.fragment().is_none() && url.username().is_empty() && url.password().is_none();
    if !matches!(url.scheme(), "http" | "https")
        || !url.has_host()
        || !plain
        || !raw.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(refused());
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

/// The origin (`scheme://host[:port]`, as browsers compare them) of a URL
/// already checked by [`ConsoleSettings::from_vars`] or the OIDC
/// configuration.
pub fn origin(url: &str) -> Option<String> {
    url::Url::parse(url).ok().map(|u| u.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<ConsoleSettings, Refusal> {
        ConsoleSettings::from_vars(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn nothing_set_means_same_origin_and_no_single_sign_on() {
        assert_eq!(settings(&[]).unwrap(), ConsoleSettings::default());
    }

    #[test]
    fn an_api_url_loses_its_trailing_slash_and_keeps_its_path() {
        let set = settings(&[(API_URL_ENV, "https://api.example.com/prod/")]).unwrap();
        assert_eq!(set.api_url.as_deref(), Some("https://api.example.com/prod"));
        assert_eq!(origin("https://api.example.com/prod").as_deref(), Some("https://api.example.com"));
        assert_eq!(
            origin("https://API.example.com:443/prod").as_deref(),
            Some("https://api.example.com"),
            "as browsers compare"
        );
    }

    #[test]
    fn an_api_url_that_is_not_a_plain_http_base_is_refused_naming_the_variable() {
        for bad in ["ftp://x.example", "api.example.com", "https://x.example/?a=1", "https://x.example/#f", "https://"]
        {
            assert_eq!(settings(&[(API_URL_ENV, bad)]).unwrap_err().0, API_URL_ENV, "{bad}");
        }
    }

    #[test]
    fn client_id_scope_and_audience_must_be_visible_ascii() {
        let set =
            settings(&[(OIDC_CLIENT_ID_ENV, "console"), (OIDC_SCOPE_ENV, "openid email"), (OIDC_AUDIENCE_ENV, "api")])
                .unwrap();
        assert_eq!(
            (set.oidc_client_id.as_deref(), set.oidc_scope.as_str(), set.oidc_audience.as_deref()),
            (Some("console"), "openid email", Some("api"))
        );
        assert_eq!(settings(&[(OIDC_CLIENT_ID_ENV, "con sole")]).unwrap_err().0, OIDC_CLIENT_ID_ENV);
        assert_eq!(settings(&[(OIDC_SCOPE_ENV, "openid  email")]).unwrap_err().0, OIDC_SCOPE_ENV);
        assert_eq!(settings(&[(OIDC_AUDIENCE_ENV, "a\"b\u{e9}")]).unwrap_err().0, OIDC_AUDIENCE_ENV);
    }
}
