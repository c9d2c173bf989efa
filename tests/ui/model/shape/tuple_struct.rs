#[migrate::model]
pub struct Point(i64, i64);

fn main() {
    let _ = Point(1, 2);
}
