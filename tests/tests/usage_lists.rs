//! Requests of the families beyond `sonet_group`, built the way a user
//! would (typed filters, sort orders, selects, input objects), and the
//! exact JSON they send: keys in the order the caller gave them.

use bitrix24::crm::{DealFields, DealFilter, DealOrder, DealSelect};
use bitrix24::lists::IblockType;
use bitrix24::prelude::*;
use bitrix24::tasks::{TaskFields, TaskFilter, TaskOrder, TaskPriority};
use bitrix24::user::UserFilter;
use bitrix24::{
    CrmDealAdd, CrmDealList, CrmItemList, CrmLeadUpdate, DepartmentGet, Direction,
    DiskFolderGetChildren, File, ImMessageAdd, ListsElementGet, Method, SonetGroupCreate,
    SonetGroupGet, TasksTaskAdd, TasksTaskGet, TasksTaskList, UserGet,
};
use chrono::{FixedOffset, TimeZone};

/// The request's JSON body as sent: key order matters.
fn sent<M: Method>(request: &M) -> String {
    serde_json::to_string(&request.to_json()).expect("a request encodes")
}

#[test]
fn a_deal_list_sends_its_filter_order_and_select_as_given() {
    let created = FixedOffset::east_opt(2 * 3600)
        .unwrap()
        .with_ymd_and_hms(2025, 10, 21, 0, 0, 0)
        .unwrap();
    let request = CrmDealList::new()
        .select(["ID", "TITLE", "UF_CRM_1"])
        .filter(
            DealFilter::new()
                .title_like_pattern("%a")
                .category_id(1)
                .opportunity_gt(10000.0)
                .assigned_by_id_in([1, 6])
                .date_create_gt(created)
                .raw("UF_CRM_1", "x"),
        )
        .order(
            DealOrder::new()
                .title(Direction::Asc)
                .opportunity(Direction::Desc),
        )
        .start(50);
    assert_eq!(
        sent(&request),
        concat!(
            r#"{"SELECT":["ID","TITLE","UF_CRM_1"],"#,
            r#""FILTER":{"=%TITLE":"%a","CATEGORY_ID":1,">OPPORTUNITY":10000.0,"@ASSIGNED_BY_ID":[1,6],"#,
            r#"">DATE_CREATE":"2025-10-21T00:00:00+02:00","UF_CRM_1":"x"},"#,
            r#""ORDER":{"TITLE":"ASC","OPPORTUNITY":"DESC"},"start":50}"#
        )
    );
    // Plain strings pick the schema's variants; anything else is kept as sent.
    assert_eq!(DealSelect::from("TITLE"), DealSelect::Title);
    assert_eq!(DealSelect::from("*"), DealSelect::All);
    assert_eq!(DealSelect::from("UF_CRM_1").as_str(), "UF_CRM_1");
}

#[test]
fn the_next_page_starts_at_the_answers_next() {
    let next: Option<u64> = Some(100);
    let request = CrmDealList::new().start(next);
    assert_eq!(sent(&request), r#"{"start":100}"#);
    assert_eq!(sent(&request.start(None)), "{}");
}

#[test]
fn input_objects_are_built_with_a_constructor_and_setters() {
    let deal = CrmDealAdd::new(DealFields::new().title("Big deal").opportunity(5000.0));
    assert_eq!(
        sent(&deal),
        r#"{"FIELDS":{"TITLE":"Big deal","OPPORTUNITY":5000.0}}"#
    );

    let task = TasksTaskAdd::new(TaskFields::new("Write the report", 7));
    assert_eq!(
        sent(&task),
        r#"{"fields":{"TITLE":"Write the report","RESPONSIBLE_ID":7}}"#
    );

    let lead = CrmLeadUpdate::new(42).fields(bitrix24::crm::LeadFields::new().title("Hot lead"));
    assert_eq!(sent(&lead), r#"{"id":42,"fields":{"TITLE":"Hot lead"}}"#);
}

#[test]
fn task_lists_users_and_groups_filter_with_their_own_operators() {
    let tasks = TasksTaskList::new()
        .filter(
            TaskFilter::new()
                .responsible_id(7)
                .priority_gte(TaskPriority::Medium),
        )
        .order(TaskOrder::new().deadline(Direction::Asc));
    assert_eq!(
        sent(&tasks),
        r#"{"order":{"DEADLINE":"ASC"},"filter":{"RESPONSIBLE_ID":7,">=PRIORITY":1}}"#
    );

    let users = UserGet::new().filter(UserFilter::new().name_like("Iv").active(true));
    assert_eq!(sent(&users), r#"{"FILTER":{"%NAME":"Iv","ACTIVE":true}}"#);

    let groups =
        SonetGroupGet::new().filter(bitrix24::sonet_group::GroupFilter::new().name_like("Pro"));
    assert_eq!(sent(&groups), r#"{"FILTER":{"%NAME":"Pro"}}"#);
}

#[test]
fn every_other_method_builds_from_its_required_parameters() {
    assert_eq!(sent(&TasksTaskGet::new(8)), r#"{"taskId":8}"#);
    assert_eq!(sent(&CrmItemList::new(2)), r#"{"entityTypeId":2}"#);
    assert_eq!(sent(&DepartmentGet::new()), "{}");
    assert_eq!(sent(&DiskFolderGetChildren::new(8)), r#"{"id":8}"#);
    assert_eq!(
        sent(&ImMessageAdd::new("chat2725").message("Hello")),
        r#"{"DIALOG_ID":"chat2725","MESSAGE":"Hello"}"#
    );
    assert_eq!(
        sent(&ListsElementGet::new(IblockType::Lists).iblock_id(47)),
        r#"{"IBLOCK_TYPE_ID":"lists","IBLOCK_ID":47}"#
    );
    assert_eq!(
        sent(&bitrix24::CalendarEventGet::new("user", 1)),
        r#"{"type":"user","ownerId":1}"#
    );
    let group = SonetGroupCreate::new("Project X")
        .visible(true)
        .image(File::new("logo.png", b"\x89PNG".to_vec()));
    assert_eq!(
        sent(&group),
        r#"{"NAME":"Project X","VISIBLE":"Y","IMAGE":["logo.png","iVBORw=="]}"#
    );
}

#[test]
fn a_method_can_need_any_of_several_scopes() {
    assert_eq!(UserGet::SCOPES, ["user", "user_brief", "user_basic"]);
    assert_eq!(CrmDealList::SCOPES, ["crm"]);
}

#[test]
fn errors_match_on_what_the_schema_says_and_answer_generic_questions() {
    use bitrix24::{MethodError, SonetGroupCreateError, TasksTaskListError, decode_answer};

    let body = br#"{"error":"0","error_description":"Invalid sorting key (internal error)"}"#;
    let error = decode_answer::<TasksTaskList>(400, body).unwrap_err();
    let error = error.method_error().expect("a method error");
    assert!(matches!(error, TasksTaskListError::InvalidSortingKey));
    assert_eq!((error.code(), error.as_system()), ("0", None));

    // A code and its text, with the trailing period a page may leave out.
    let body = br#"{"error":"ERROR_IMAGE_ID","error_description":"Image is incorrect: Invalid file type."}"#;
    let error = decode_answer::<SonetGroupCreate>(400, body).unwrap_err();
    assert!(matches!(
        error.method_error(),
        Some(SonetGroupCreateError::InvalidImage)
    ));
    // The same text with another code is not this error.
    let body =
        br#"{"error":"ERROR_CORE","error_description":"Image is incorrect: Invalid file type"}"#;
    let error = decode_answer::<SonetGroupCreate>(400, body).unwrap_err();
    assert!(matches!(
        error.method_error(),
        Some(SonetGroupCreateError::Unknown(_))
    ));
    // Empty-code errors also match the legacy codes older servers send.
    let body = br#"{"error":"ERROR_CORE","error_description":"Cannot create group"}"#;
    let error = decode_answer::<SonetGroupCreate>(400, body).unwrap_err();
    let error = error.method_error().expect("a method error");
    assert!(matches!(error, SonetGroupCreateError::CannotCreate));
    assert_eq!(
        (error.code(), error.description()),
        ("", "Cannot create group")
    );

    // Generic code asks for a rate limit without matching `Unknown`.
    let body = br#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#;
    let error = decode_answer::<TasksTaskList>(503, body).unwrap_err();
    let error = error.method_error().expect("a method error");
    assert_eq!(error.code(), "QUERY_LIMIT_EXCEEDED");
    assert!(error.as_system().is_some());
}

#[test]
fn a_parameter_is_read_under_its_aliases_and_sent_under_its_name() {
    // The page's own examples send `filter` and `select`; the client sends
    // the names the cURL examples use.
    let request: CrmDealList =
        serde_json::from_str(r#"{"filter":{">OPPORTUNITY":5},"select":["ID"]}"#).unwrap();
    assert_eq!(
        sent(&request),
        r#"{"SELECT":["ID"],"FILTER":{">OPPORTUNITY":5}}"#
    );
    // An unknown parameter is still an error, not silently dropped.
    assert!(serde_json::from_str::<CrmDealList>(r#"{"fliter":{}}"#).is_err());
}

#[test]
fn input_objects_carry_custom_fields_after_the_listed_ones() {
    let deal = DealFields::new()
        .custom("UF_CRM_1721244482250", "Hello World!")
        .title("Big deal")
        .custom("PARENT_ID_1220", 22);
    assert_eq!(
        sent(&CrmDealAdd::new(deal)),
        r#"{"FIELDS":{"TITLE":"Big deal","UF_CRM_1721244482250":"Hello World!","PARENT_ID_1220":22}}"#
    );
    // Read back, the unlisted fields are kept, not dropped.
    let read: CrmDealAdd =
        serde_json::from_str(r#"{"FIELDS":{"UF_CRM_7":[1,2],"TITLE":"x"}}"#).unwrap();
    assert_eq!(sent(&read), r#"{"FIELDS":{"TITLE":"x","UF_CRM_7":[1,2]}}"#);
}
