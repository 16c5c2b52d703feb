//! Data residency: the region an org or project keeps its data in, fixed
//! when it is created, from the regions the deployment serves
//! (`CONTROLPLANE_REGIONS`, the first the default).

use serde::{Deserialize, Serialize};

use crate::base::error::DomainError;

/// The variable listing the regions served, the default first.
pub const REGIONS_ENV: &str = "CONTROLPLANE_REGIONS";

/// A residency region's label: `us`, `eu`, `ap-south`… (lowercase letters,
/// digits and `-`, 2 to 16 characters, starting with a letter).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "eu", pattern = "^[a-z][a-z0-9-]{1,15}$")]
pub struct Region(String);

impl Region {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let valid = (2..=16).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if valid { Ok(Self(raw.to_owned())) } else { Err(format!("`{raw}` is not a region (e.g. `us`, `eu`)")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Region {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<Region> for String {
    fn from(region: Region) -> String {
        region.0
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The regions a deployment serves; the first is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regions(Vec<Region>);

impl Default for Regions {
    fn default() -> Self {
        Self(vec![Region("us".into())])
    }
}

impl Regions {
    /// A comma-separated list, the default first; each listed once.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut regions: Vec<Region> = Vec::new();
        for label in raw.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            let region = Region::parse(label)?;
            if regions.contains(&region) {
                return Err(format!("`{region}` is listed twice"));
            }
            regions.push(region);
        }
        if regions.is_empty() {
            return Err("name at least one region".into());
        }
        Ok(Self(regions))
    }

    pub fn default_region(&self) -> &Region {
        &self.0[0]
    }

    /// Every region served, the default first.
    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.0.iter()
    }

    /// The region a new org or project gets: the one `asked` for, which
    /// must be served (422 naming `region`), else `inherited`, else the
    /// default.
    pub fn choose(&self, asked: Option<Region>, inherited: Option<&Region>) -> Result<Region, DomainError> {
        match asked {
            Some(region) if self.0.contains(&region) => Ok(region),
            Some(region) => {
                let served = self.0.iter().map(Region::as_str).collect::<Vec<_>>().join(", ");
                Err(DomainError::field("region", format!("`{region}` is not served here; choose one of {served}")))
            }
            None => Ok(inherited.unwrap_or_else(|| self.default_region()).clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_resource_gets_the_region_asked_for_if_served_else_its_parents_else_the_default() {
        let regions = Regions::parse("us, eu").unwrap();
        let eu = Region::parse("eu").unwrap();
        assert_eq!(regions.choose(Some(eu.clone()), None).unwrap(), eu);
        assert_eq!(regions.choose(None, Some(&eu)).unwrap(), eu);
        assert_eq!(regions.choose(None, None).unwrap().as_str(), "us");
        let Err(DomainError::Validation(errors)) = regions.choose(Some(Region::parse("ap").unwrap()), None) else {
            panic!("refused")
        };
        assert_eq!(errors[0].field, "region");
        assert!(errors[0].message.contains("us, eu"), "{}", errors[0].message);
    }

    #[test]
    fn region_labels_and_lists_are_checked() {
        for bad in ["", "u", "EU", "1us", "us_east", "a-very-long-region-name"] {
            assert!(Region::parse(bad).is_err(), "{bad}");
        }
        assert!(Regions::parse("us,us").is_err());
        assert!(Regions::parse(" , ").is_err());
        assert_eq!(Regions::parse("eu,us").unwrap().default_region().as_str(), "eu");
    }
}
