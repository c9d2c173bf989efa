#[migrate::model]
pub enum Level<T> {
    Low,
    High,
    #[doc(hidden)]
    _Marker(std::marker::PhantomData<T>),
}

fn main() {
    let _ = Level::<u8>::Low;
}
