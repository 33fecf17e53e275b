"""The app's pages, in the order the sidebar shows them, for each role."""
import streamlit as st

from vocabulary import Role

VIEWS = "ui/views"


def pages(role: str) -> list:
    page = {
        "engagements": st.Page(f"{VIEWS}/engagements.py", title="评价项目", icon=":material/folder_open:",
                               url_path="engagements", default=True),
        "workspace": st.Page(f"{VIEWS}/workspace.py", title="评分工作台", icon=":material/edit_note:",
                             url_path="workspace"),
        "dashboard": st.Page(f"{VIEWS}/dashboard.py", title="仪表板", icon=":material/monitoring:",
                             url_path="dashboard"),
        "evidence": st.Page(f"{VIEWS}/evidence.py", title="证据", icon=":material/attach_file:", url_path="evidence"),
        "ncs": st.Page(f"{VIEWS}/nonconformities.py", title="不符合项", icon=":material/report:", url_path="ncs"),
        "criteria": st.Page(f"{VIEWS}/criteria_browser.py", title="指标树", icon=":material/account_tree:",
                            url_path="criteria"),
        "quick": st.Page(f"{VIEWS}/quick_score.py", title="快速试评", icon=":material/calculate:", url_path="quick"),
        "companies": st.Page(f"{VIEWS}/companies.py", title="企业与场所", icon=":material/domain:",
                             url_path="companies"),
        "users": st.Page(f"{VIEWS}/users.py", title="用户管理", icon=":material/group:", url_path="users"),
        "log": st.Page(f"{VIEWS}/audit_log.py", title="审计日志", icon=":material/history:", url_path="audit-log"),
        "programme": st.Page(f"{VIEWS}/programme.py", title="到期事项", icon=":material/event_upcoming:",
                             url_path="programme"),
        "account": st.Page(f"{VIEWS}/account.py", title="我的账户", icon=":material/person:", url_path="account"),
        "preparation": st.Page(f"{VIEWS}/preparation.py", title="评价准备", icon=":material/event_note:",
                               url_path="preparation"),
        "certificates": st.Page(f"{VIEWS}/certificates.py", title="证书", icon=":material/workspace_premium:",
                                url_path="certificates"),
        "cycle": st.Page(f"{VIEWS}/cycle.py", title="认证周期", icon=":material/timeline:", url_path="cycle"),
        "records": st.Page(f"{VIEWS}/records_analysis.py", title="服务记录分析", icon=":material/query_stats:",
                           url_path="records"),
        "templates": st.Page(f"{VIEWS}/templates.py", title="文档模板", icon=":material/article:",
                             url_path="templates"),
        "portfolio": st.Page(f"{VIEWS}/portfolio.py", title="客户总览", icon=":material/business_center:",
                             url_path="portfolio"),
        "readiness": st.Page(f"{VIEWS}/readiness.py", title="整改准备", icon=":material/checklist:",
                             url_path="readiness"),
    }
    names = {
        Role.ADMIN: ["engagements", "preparation", "programme", "evidence", "ncs", "dashboard", "criteria",
                     "companies", "users", "log", "certificates", "cycle", "templates", "records", "account"],
        Role.ASSESSOR: ["engagements", "preparation", "workspace", "evidence", "ncs", "dashboard", "criteria", "quick",
                        "cycle", "records", "account"],
        Role.CONSULTANT: ["portfolio", "engagements", "readiness", "preparation", "workspace", "evidence", "ncs",
                          "dashboard", "criteria", "quick", "records", "account"],
        Role.CLIENT: ["engagements", "readiness", "preparation", "evidence", "ncs", "dashboard", "certificates", "cycle",
                      "account"],
        Role.DECISION_MAKER: ["engagements", "programme", "ncs", "dashboard", "certificates", "cycle", "account"],
    }.get(role, ["account"])
    return [page[n] for n in names]
