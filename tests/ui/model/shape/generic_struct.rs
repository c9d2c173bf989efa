#[migrate::model]
pub struct Wrapper<T> {
    pub id: i64,
    pub value: T,
}

fn main() {
    let _ = Wrapper { id: 1, value: 2u8 };
}
