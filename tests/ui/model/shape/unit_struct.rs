#[migrate::model]
pub struct Marker;

fn main() {
    let _ = Marker;
}
