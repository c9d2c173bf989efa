#[migrate::model]
pub enum Shape {
    Circle { radius: f64 },
    Square(f64),
    Nothing,
}

fn main() {
    let _ = Shape::Nothing;
}
