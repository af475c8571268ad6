-- wrk script: POST /api/ask with a rotating mix of realistic questions (see bench/README.md).
local questions = {
  "槐荫区养老补贴信息公开归哪个部门管？", "依申请公开要多久答复？", "区民政局今年有哪些公开任务？",
  "9月底前要完成什么？", "yanglao butie 谁负责", "Who is responsible for elderly-care subsidy disclosure?",
  "历城区减税降费政策宣传谁负责", "薛城区政府公报数字化转型谁负责", "周村区预决算信息公开由谁负责？",
  "栖霞市政府开放月活动是啥样的", "个税专项附加扣除标准", "养劳补贴谁负责",
}
local i = 0
request = function()
  i = i + 1
  local q = questions[(i % #questions) + 1]
  local body = '{"question":"' .. q .. '","session":"wrk-' .. (i % 50) .. '"}'
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, body)
end
