// The models exist only to register; nothing constructs them.
#![allow(dead_code)]

//! `metadata()` reports models that cannot form one schema, naming both sides,
//! instead of panicking. (Its own test binary: every model linked in registers.)

mod inventory_app {
    #[migrate::model(table = "things")]
    pub struct Thing {
        #[column(primary_key)]
        pub id: i64,
    }
}

mod warehouse {
    #[migrate::model(table = "things")]
    pub struct Thing {
        #[column(primary_key)]
        pub id: i64,
    }

    #[migrate::model]
    pub struct Shelf {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = "ghosts.id")]
        pub ghost_id: i64,
        #[column(references = "things.nope")]
        pub thing_id: i64,
    }
}

#[test]
fn conflicts_and_dangling_references_name_both_sides() {
    let err = migrate::metadata().unwrap_err();
    let problems: Vec<String> = err
        .into_problems()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    let duplicate = problems
        .iter()
        .find(|p| p.contains("two #[model]s claim things"))
        .unwrap();
    assert!(
        duplicate.contains("model_conflicts::inventory_app::Thing")
            && duplicate.contains("model_conflicts::warehouse::Thing"),
        "{duplicate}"
    );
    assert!(problems.iter().any(|p| p
        == "model_conflicts::warehouse::Shelf.ghost_id: `references = \"ghosts.id\"` is not valid: no #[model] has the table `ghosts`"));
    assert!(problems.iter().any(|p| p.starts_with("model_conflicts::warehouse::Shelf.thing_id: `references = \"things.nope\"` is not valid:")
        && p.ends_with("has no column `nope`")), "{problems:#?}");
}
