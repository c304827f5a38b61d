from partner_center.api import Router

from . import api

router = Router()
router.register("incentives/performance", api.PerformanceViewSet, basename="incentive-performance")
router.register("incentives/dashboard", api.DashboardViewSet, basename="incentive-dashboard")
router.register("incentives/statements", api.StatementViewSet, basename="incentive-statement")
router.register("incentives/program", api.ProgramPeriodViewSet, basename="incentive-program")
router.register("incentives/applications", api.ApplicationViewSet, basename="incentive-application")
router.register("incentives/pending", api.PendingViewSet, basename="incentive-pending")
urlpatterns = router.urls
