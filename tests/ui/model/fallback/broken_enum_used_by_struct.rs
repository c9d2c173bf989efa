// A broken `#[model]` enum still implements `SqlType`, so the tables that use it
// show no second error: only the enum's own mistake is reported.
#[migrate::model(nmae = "role")]
pub enum Role {
    Admin,
    Member,
}

#[migrate::model]
pub struct Member {
    #[column(primary_key)]
    pub id: i64,
    pub role: Role,
    pub previous_role: Option<Role>,
}

fn main() {
    let _ = Member { id: 1, role: Role::Admin, previous_role: Some(Role::Member) };
}
