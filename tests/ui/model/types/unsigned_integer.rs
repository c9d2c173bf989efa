#[migrate::model]
pub struct Counter {
    #[column(primary_key)]
    pub id: i64,
    pub hits: u64,
}

fn main() {
    let _ = Counter { id: 1, hits: 0 };
}
