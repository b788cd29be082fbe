//! A small deterministic generator (xorshift) for the tests' generated cases, so that a
//! failure can be replayed from its seed.

pub struct Xorshift(pub u64);

impl Xorshift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Below `n` (not quite uniform; enough for generating cases).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
