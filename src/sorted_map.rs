//! A map kept as a sorted `Vec`, for the Worker's small runtime maps (in-flight claims,
//! outcome counts, certificate caches, pacers). Each `BTreeMap` key and value type brings its
//! own copy of the B-tree's node code into the wasm (2 to 4 KB each); this one costs a binary
//! search and a `Vec` insert or remove. Lookups stay O(log n); an insert or removal moves the
//! entries after it, which is cheap at these sizes (a few thousand entries at most).

use std::borrow::Borrow;
use std::cmp::Ordering;

/// Entries sorted by key, each key once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        Self { entries: Vec::new() }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// An empty map (usable in a `const` initialiser).
    #[must_use]
    pub const fn new() -> Self {
        Self { entries: Vec::new() }
    }

    /// Where an entry ordered by `cmp` (the entry's key against the one sought) is, or would go.
    ///
    /// # Errors
    /// `Err(i)`: no such key; it would be inserted at `i`.
    pub fn search_by(&self, mut cmp: impl FnMut(&K) -> Ordering) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| cmp(k))
    }

    fn search<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.search_by(|k| k.borrow().cmp(key))
    }

    /// The value under `key`.
    #[must_use]
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.search(key).ok().and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    /// The value under `key`, mutably.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.search(key).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// Whether `key` has a value.
    #[must_use]
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.search(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.search(&key) {
            Ok(i) => self.entries.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes `key`'s value out.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.search(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The value at a position `search_by` found, or a new one made there from `make`.
    pub fn at_or_insert_with(&mut self, found: Result<usize, usize>, make: impl FnOnce() -> (K, V)) -> &mut V {
        let i = match found {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, make());
                i
            }
        };
        // `i` is in bounds: found, or just inserted there.
        let (_, v) = self.entries.get_mut(i).unwrap_or_else(|| unreachable!());
        v
    }

    /// `key`'s value, made with `V::default()` if it has none.
    pub fn entry_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let found = self.search(&key);
        self.at_or_insert_with(found, || (key, V::default()))
    }

    /// How many entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in key order, mutably.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Keeps the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// From pairs in any order, in O(n log n): of pairs with the same key the last wins, as
    /// inserting them one by one would (which is O(n²) when they come in descending order:
    /// a JSON object of a body not yet authenticated can hold 100,000 keys).
    #[must_use]
    pub fn from_pairs(mut pairs: Vec<(K, V)>) -> Self {
        // Stable: pairs with equal keys keep their order, so the last of each run is the last given.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut entries: Vec<(K, V)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match entries.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => entries.push(pair),
            }
        }
        Self { entries }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// Later entries win over earlier ones with the same key, as in a `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self::from_pairs(iter.into_iter().collect())
    }
}

impl<K: Ord, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, Q: Ord + ?Sized, V> std::ops::Index<&Q> for SortedMap<K, V>
where
    K: Borrow<Q>,
{
    type Output = V;
    /// # Panics
    /// When `key` has no value (as a `BTreeMap` does); for tests.
    fn index(&self, key: &Q) -> &V {
        #[allow(clippy::panic)]
        self.get(key).unwrap_or_else(|| panic!("no entry for the key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn agrees_with_a_btree_map_over_random_inserts_lookups_and_removals() {
        let mut ours: SortedMap<String, u32> = SortedMap::new();
        let mut theirs: BTreeMap<String, u32> = BTreeMap::new();
        let mut rng = crate::test_rng::Xorshift(0x2545_f491);
        let mut next = move || rng.next();
        for step in 0..20_000u32 {
            let key = format!("k{}", next() % 300);
            match next() % 5 {
                0 | 1 => assert_eq!(ours.insert(key.clone(), step), theirs.insert(key, step)),
                2 => assert_eq!(ours.remove(key.as_str()), theirs.remove(key.as_str())),
                3 => {
                    *ours.entry_or_default(key.clone()) += 1;
                    *theirs.entry(key).or_default() += 1;
                }
                _ => assert_eq!(ours.get(key.as_str()), theirs.get(key.as_str())),
            }
            assert_eq!(ours.len(), theirs.len());
        }
        let ours: Vec<_> = ours.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let theirs: Vec<_> = theirs.into_iter().collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn from_pairs_agrees_with_a_btree_map_built_from_the_same_pairs() {
        let mut rng = crate::test_rng::Xorshift(0x9e37_79b9);
        for len in [0usize, 1, 2, 17, 500, 5_000] {
            let pairs: Vec<(u32, u32)> = (0..len as u32).map(|i| (rng.below(97) as u32, i)).collect();
            let theirs: BTreeMap<u32, u32> = pairs.iter().copied().collect();
            let ours = SortedMap::from_pairs(pairs);
            assert_eq!(ours.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), theirs.into_iter().collect::<Vec<_>>(), "{len}");
        }
    }

    #[test]
    fn keeps_the_last_of_a_key_in_key_order_and_retains_what_it_is_told() {
        let mut map: SortedMap<&str, u32> = [("b", 2), ("a", 1), ("c", 3), ("a", 4)].into_iter().collect();
        assert_eq!(map.iter().map(|(k, v)| format!("{k}{v}")).collect::<String>(), "a4b2c3");
        map.retain(|_, v| *v != 2);
        assert_eq!(map.iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["a", "c"]);
        assert!(map.contains_key("c") && !map.contains_key("b"));
        assert_eq!(map["c"], 3);
    }
}
