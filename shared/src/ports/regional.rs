//! Residency for the stores that keep a tenant's data outside the table:
//! one blob store and one secrets store per region the deployment serves.
//!
//! A blob key or secret name carries the region of the resource it belongs
//! to, and [`ByRegion`] hands it to that region's store and no other. A key
//! with no region (a resource made before regions) goes to the default
//! region's store, which is where such data has always been kept. A region
//! with no store configured fails the call: data is never written to
//! another region's store in its place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::residency::Region;

/// One store per region; the default region's answers for keys without one.
pub struct ByRegion<S: ?Sized> {
    default: Region,
    stores: BTreeMap<Region, Arc<S>>,
}

impl<S: ?Sized> ByRegion<S> {
    /// The default region's store.
    pub fn new(default: Region, store: Arc<S>) -> Self {
        Self { stores: BTreeMap::from([(default.clone(), store)]), default }
    }

    /// The same with `region`'s own store.
    pub fn with(mut self, region: Region, store: Arc<S>) -> Self {
        self.stores.insert(region, store);
        self
    }

    /// The store of `region` (the default's for `None`); `Err` names a
    /// region this deployment keeps no store for.
    pub fn store(&self, region: Option<&Region>) -> Result<&Arc<S>, String> {
        let region = region.unwrap_or(&self.default);
        self.stores.get(region).ok_or_else(|| format!("no store is configured for region `{region}`"))
    }

    /// Every region's store, the default's among them.
    pub fn all(&self) -> impl Iterator<Item = (&Region, &Arc<S>)> {
        self.stores.iter()
    }
}

/// The variable naming `region`'s store beside `base`, the default's:
/// `CONTROLPLANE_BLOBS` and `eu-west` give `CONTROLPLANE_BLOBS_EU_WEST`.
pub fn variable(base: &str, region: &Region) -> String {
    format!("{base}_{}", region.as_str().to_ascii_uppercase().replace('-', "_"))
}

/// Where a local store keeps `region`'s data when no variable names a
/// store for it: beside the default's, the region in the name
/// (`blobs` → `blobs-eu`, `controlplane.db` → `controlplane-eu.db`).
pub fn local_sibling(path: &Path, region: &Region) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match path.extension() {
        Some(extension) => format!("{stem}-{region}.{}", extension.to_string_lossy()),
        None => format!("{stem}-{region}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(label: &str) -> Region {
        Region::parse(label).unwrap()
    }

    #[test]
    fn a_key_goes_to_its_regions_store_and_one_without_a_region_to_the_defaults() {
        let stores = ByRegion::new(region("us"), Arc::new("us store")).with(region("eu"), Arc::new("eu store"));
        assert_eq!(**stores.store(Some(&region("eu"))).unwrap(), "eu store");
        assert_eq!(**stores.store(Some(&region("us"))).unwrap(), "us store");
        assert_eq!(**stores.store(None).unwrap(), "us store");
        let refused = stores.store(Some(&region("ap"))).unwrap_err();
        assert!(refused.contains("`ap`"), "{refused}");
        assert_eq!(stores.all().count(), 2);
    }

    #[test]
    fn a_regions_variable_and_local_store_are_named_after_it() {
        assert_eq!(variable("CONTROLPLANE_BLOBS", &region("eu-west")), "CONTROLPLANE_BLOBS_EU_WEST");
        assert_eq!(local_sibling(Path::new("/data/blobs"), &region("eu")), Path::new("/data/blobs-eu"));
        assert_eq!(
            local_sibling(Path::new("/data/controlplane.db"), &region("eu")),
            Path::new("/data/controlplane-eu.db")
        );
    }
}
