//! The tour itself: one step per method, printing the call and its answer.

use bitrix24::prelude::*;
use bitrix24::tasks::TasksTaskAddV3Fields;
use bitrix24::{AssignableRole, Client, GroupId, SonetGroupUserGetError, UserId};

use crate::plan::Plan;

/// Runs every step of the plan, stopping at the first failure.
pub async fn run(client: &Client, plan: &Plan) -> Result<(), String> {
    list_groups(client).await?;
    every_group(client).await?;
    list_members(client, plan.group).await?;
    if let Some(writes) = &plan.writes {
        let invited = client
            .sonet_group_user_invite(plan.group, writes.invite.clone())
            .message("Join us!")
            .await;
        show(
            "sonet_group.user.invite",
            &format!("GROUP_ID={} USER_ID={}", plan.group, ids(&writes.invite)),
            invited.map(|r| ids(&r.result)),
        )?;

        let added = client
            .sonet_group_user_add(plan.group, writes.add.clone())
            .await;
        show(
            "sonet_group.user.add",
            &format!("GROUP_ID={} USER_ID={}", plan.group, ids(&writes.add)),
            added.map(|r| ids(&r.result)),
        )?;

        let changed: Vec<UserId> = writes
            .add
            .iter()
            .chain(&writes.also_change)
            .copied()
            .collect();
        let updated = client
            .sonet_group_user_update(plan.group, changed.clone(), AssignableRole::Moderator)
            .await;
        show(
            "sonet_group.user.update",
            &format!("GROUP_ID={} USER_ID={} ROLE=E", plan.group, ids(&changed)),
            updated.map(|r| ids(&r.result)),
        )?;
        list_members(client, plan.group).await?;

        let deleted = client
            .sonet_group_user_delete(plan.group, changed.clone())
            .await;
        show(
            "sonet_group.user.delete",
            &format!("GROUP_ID={} USER_ID={}", plan.group, ids(&changed)),
            deleted.map(|r| ids(&r.result)),
        )?;

        let joined = client
            .sonet_group_user_request(writes.join)
            .message("May I join?")
            .await;
        show(
            "sonet_group.user.request",
            &format!("GROUP_ID={}", writes.join),
            joined.map(|r| r.result.to_string()),
        )?;
        list_members(client, writes.join).await?;
        rest_3_task(client).await?;
    }
    typed_error(client).await
}

/// REST 3.0: a task added, renamed, read and deleted at `/rest/api/`. Its
/// writes carry an `Idempotency-Key`; the rename sent again with its key is
/// answered from the portal's store instead of running twice.
async fn rest_3_task(client: &Client) -> Result<(), String> {
    let me = client
        .user_current()
        .await
        .map_err(|error| format!("user.current: {error}"))?
        .result
        .id
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or("user.current: no ID")?;
    let added = client
        .tasks_task_add_v3(TasksTaskAddV3Fields::new("Prepare the report", me, me))
        .await;
    let mut id = None;
    show(
        "tasks.task.add (REST 3.0)",
        "fields.title=\"Prepare the report\"",
        added.map(|response| {
            id = response.result.item.as_ref().and_then(|item| item.id);
            format!(
                "task {} (Idempotency-Key {})",
                id.map_or_else(|| "?".to_owned(), |id| id.to_string()),
                response.idempotency_key().unwrap_or("none")
            )
        }),
    )?;
    let id = id.ok_or("tasks.task.add: no task ID")?;

    let key = format!("tour-rename-{id}");
    for attempt in ["sent", "sent again"] {
        let renamed = client
            .tasks_task_update_v3(
                id,
                serde_json::json!({ "title": "Prepare the quarterly report" }),
            )
            .idempotency_key(key.as_str())
            .await;
        show(
            "tasks.task.update (REST 3.0)",
            &format!("id={id} Idempotency-Key={key} ({attempt})"),
            renamed.map(|response| {
                if response.replayed() {
                    "replayed from the portal's store: the rename ran once".to_owned()
                } else {
                    "renamed".to_owned()
                }
            }),
        )?;
    }

    let read = client.tasks_task_get_v3(id).await;
    show(
        "tasks.task.get (REST 3.0)",
        &format!("id={id}"),
        read.map(|response| {
            let title = response.result.item.and_then(|item| item.title);
            format!("title {:?}", title.unwrap_or_default())
        }),
    )?;
    let deleted = client.tasks_task_delete_v3(id).await;
    show(
        "tasks.task.delete (REST 3.0)",
        &format!("id={id}"),
        deleted.map(|_| "deleted".to_owned()),
    )
}

async fn list_groups(client: &Client) -> Result<(), String> {
    let groups = client.sonet_group_user_groups().await.map(|response| {
        let lines: String = response
            .result
            .iter()
            .map(|group| {
                format!(
                    "\n     group {} {:?}: {:?}",
                    group.group_id, group.group_name, group.role
                )
            })
            .collect();
        format!(
            "{} groups, with your role in each:{lines}",
            response.result.len()
        )
    });
    show("sonet_group.user.groups", "", groups)
}

/// Every page of a list at once: `sonet_group.get` walked by its key.
async fn every_group(client: &Client) -> Result<(), String> {
    let groups = client.sonet_group_get().collect_all().await.map(|groups| {
        let names: Vec<&str> = groups
            .iter()
            .take(3)
            .map(|group| group.name.as_str())
            .collect();
        format!(
            "{} groups you can see, every page (by ID, start=-1): {names:?}...",
            groups.len()
        )
    });
    show("sonet_group.get", "(all pages)", groups)
}

async fn list_members(client: &Client, group: GroupId) -> Result<(), String> {
    let members = client.sonet_group_user_get(group).await.map(|response| {
        let lines: String = response
            .result
            .iter()
            .map(|member| format!("\n     user {}: {:?}", member.user_id, member.role))
            .collect();
        format!("{} active members:{lines}", response.result.len())
    });
    show("sonet_group.user.get", &format!("ID={group}"), members)
}

/// Errors are typed: a missing group is a variant to match on, not a string.
async fn typed_error(client: &Client) -> Result<(), String> {
    let missing = GroupId::new(999_999);
    println!("-> sonet_group.user.get ID={missing}");
    match client.sonet_group_user_get(missing).await {
        Err(bitrix24::Error::Method(SonetGroupUserGetError::GroupNotFound)) => {
            println!("   <- error, as expected: SonetGroupUserGetError::GroupNotFound\n");
            Ok(())
        }
        Ok(response) => Err(format!(
            "group {missing} unexpectedly exists with {} members",
            response.result.len()
        )),
        Err(error) => Err(error.to_string()),
    }
}

fn show<E: std::fmt::Display>(
    method: &str,
    params: &str,
    outcome: Result<String, E>,
) -> Result<(), String> {
    println!("-> {method} {params}");
    match outcome {
        Ok(text) => {
            println!("   <- {text}\n");
            Ok(())
        }
        Err(error) => Err(format!("{method}: {error}")),
    }
}

fn ids(ids: &[UserId]) -> String {
    let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!("[{}]", list.join(", "))
}
