#[migrate::model]
pub fn users() {}

#[migrate::model]
pub union Bits {
    pub int: u32,
    pub float: f32,
}

fn main() {
    users();
    let _ = Bits { int: 1 };
}
