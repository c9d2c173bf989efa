// A table needs at least one column.
#[migrate::model]
pub struct Cache {
    #[column(skip)]
    pub hits: u64,
    #[column(skip)]
    pub misses: u64,
}

#[migrate::model]
pub struct Empty {}

fn main() {
    let _ = Cache { hits: 0, misses: 0 };
    let _ = Empty {};
}
