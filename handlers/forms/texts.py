"""Chinese texts of the form engine, in one place for review."""

SKIP, BACK, HELP_WORD, CONTINUE, RESTART, DONE, KEEP, NO, ADD, EDIT = "跳过", "上一步", "帮助", "继续", "重来", "完成", "保留", "否", "添加", "修改"
NONE_WORDS = ("无", "没有", "暂无")  # on a field that may be left empty: the same as 跳过
ACCEPT_WORDS = ("是", "好", "对", "采用", "确认", "确定")  # take a suggested answer
MERGE, OVERWRITE, DISCARD = "合并", "覆盖", "放弃"
CANCEL_WORDS = ("取消", "退出")
YES_WORDS = ("是", "确认", "确定", "放弃", "好")
CONFIRM_WORDS = ("确认", "提交", "确定", "好的")
MAYBE_CONFIRM_WORDS = ("好", "是的", "可以", "行", "嗯")  # too casual to store a report on: asked about first
SUBMIT_WORDS = (*CONFIRM_WORDS, *MAYBE_CONFIRM_WORDS, "是", "对")  # any yes, once 确认提交吗？ was asked
# Words a form answers even when they name a command; derived, so no word list can drift from it.
CONTROL_WORDS = frozenset(
    {*CANCEL_WORDS, *YES_WORDS, *CONFIRM_WORDS, *MAYBE_CONFIRM_WORDS, *NONE_WORDS, *ACCEPT_WORDS}
    | {SKIP, BACK, HELP_WORD, CONTINUE, RESTART, DONE, KEEP, NO, ADD, EDIT, MERGE, OVERWRITE, DISCARD}
)

INTRO = "开始填写 {heading}，共 {total} 项，随时可回复 帮助。\n"
QUESTION = "（{n}/{total}）{prompt}"
OPTIONAL_HINT = "（选填，可回复 跳过）"
OFFER = "回复 1 沿用：{value}"
CURRENT = "当前：{value}\n回复 保留 不修改。"
REPEAT_START = "（{n}/{total}）{label}：已录入 {count} {unit}。"
LIST_HOW = "修改 N 重填第 N {unit}，删除 N 删去；全部发完回复 完成。"
LIST_DONE = "全部发完回复 完成。"
REPEAT_NEXT = "已记录第 {count} {unit}。\n"
REPEAT_CHANGED = "已更新第 {count} {unit}。\n"
REPEAT_ITEM = "第 {index} {unit} · {prompt}"
LIST_DELETED = "已删除第 {n} {unit}：{item}\n"
LIST_BAD_NUMBER = "没有这一{unit}（共 {count} {unit}）。\n{question}"
SUGGESTED = "根据链接，建议：{value}，回复 是 采用。"
LINK_KEPT = "已加入{label}：{item}，填到「{label}」时确认{missing}。"
LIST_WAITING = "第 {n} {unit}还缺{missing}，请先回复{missing}；不要这一{unit}请回复 删除 {n}。\n{question}"

INVALID = "{reason}\n{question}"
REQUIRED = "「{label}」是必填项，不能跳过。\n{question}"
REQUIRED_SHORT = "「{label}」是必填项，不能跳过。"
FIRST_FIELD = "已经是第一项了。\n{question}"
NOTHING_TO_KEEP = "这一项还没有内容，请直接填写。\n{question}"

SUMMARY_HEAD = "请核对 {heading}："
SUMMARY_EMPTY = "（未填）"
SUMMARY_FOOT = "回复 确认 提交；修改 N 修改第 N 项；取消 放弃。"
SUMMARY_BAD_NUMBER = "请回复 修改 1–{total} 中的编号。"
SUMMARY_WHAT_TO_TYPE = "请回复 确认 提交，修改 N 修改第 N 项，继续 查看汇总，取消 放弃。"
CONFIRM_ASK = "确认提交吗？回复 是 提交，回复 否 暂不提交。"
NOT_CONFIRMED = "暂未提交。" + SUMMARY_WHAT_TO_TYPE
UNCHANGED = "内容没有改动，{title}仍为第 {n} 版，未生成新版本。"

CANCEL_ASK = "确定放弃这份{title}草稿吗？回复 是 放弃，回复 否 继续填写。"
CANCELLED = "已取消，草稿已删除。"
NOT_CANCELLED = "好的，继续填写。\n{question}"
NOT_CANCELLED_TAKEN = "未放弃草稿。\n"

RESUME_ASK = "您有一份未完成的{heading}草稿（已填到第 {n}/{total} 项）。\n回复 继续 接着填，回复 重来 重新开始。"
NOT_TAKEN = "本条内容未录入。"  # before a question asked again: what was just typed answered nothing
RESUME_SUMMARY_ASK = "您有一份待确认的{heading}草稿。\n回复 继续 查看汇总，回复 重来 重新开始。"

HELP = "正在填写{heading}。\n可回复：跳过（选填项）、上一步、取消、继续。"

CONFLICT = (
    "提交前发现：{title}已由 {by} 于 {at} 更新为第 {n} 版，对方改动了：{theirs}；您改动了：{mine}。\n"
    "回复 合并 保留对方改动、只提交您改动的项；回复 覆盖 以您的内容为准；回复 放弃 删除您的草稿。"
)
NO_FIELDS = "无"
DISCARDED = "已放弃您的{title}草稿，以已提交的版本为准。"
LEFT_UNIT = "您已不是{unit}的成员，该单位的{title}草稿已关闭，未提交。"
