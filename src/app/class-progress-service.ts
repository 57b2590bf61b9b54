import { scopeKey, type AccessScope } from './access-scope.js';
import type { AppContext } from './context.js';
import { ProgressService, type ClassForecast, type ClassSheet } from './progress-service.js';
import { readCacheOf } from './read-cache.js';
import {
  SchoolOverviewService,
  type ClassSummary,
  type FindingItem,
} from './school-overview-service.js';
import { UsageError } from '../platform/errors.js';

/**
 * A class's progress as its page shows it (the weekly sheet's students, rating and risks, the
 * forecast of успеваемость and качество), read only after the scope allows the class: the
 * progress service itself knows no viewer, so this is where a class teacher's request for
 * another class stops.
 */

export interface ClassProgressView {
  klass: ClassSummary;
  /** Null when the class has no reporting period in the mirror (`note` says why). */
  sheet: ClassSheet | null;
  forecast: ClassForecast | null;
  note: string | null;
}

/** What a class's page shows: its progress and its open findings. */
export interface ClassPageView {
  progress: ClassProgressView;
  findings: FindingItem[];
}

export class ClassProgressService {
  private readonly overview: SchoolOverviewService;
  private readonly progress: ProgressService;

  constructor(private readonly app: Pick<AppContext, 'config' | 'mirror' | 'clock'>) {
    this.overview = new SchoolOverviewService(app);
    this.progress = new ProgressService(app);
  }

  /**
   * The class's progress and open findings, for its page; null: unknown or not the scope's
   * class. One cache entry per scope and class: a page view that finds it reads the data version
   * once, where its parts would read it once each.
   */
  async classPage(scope: AccessScope, classId: string): Promise<ClassPageView | null> {
    const { page } = await readCacheOf(this.app).read(
      `class-page:${scopeKey(scope)}:${classId}`,
      scope.schoolIds,
      async () => {
        const progress = await this.classProgress(scope, classId);
        if (!progress) return { page: null };
        const findings = await this.overview.findings(scope, { classId });
        return { page: { progress, findings } };
      },
    );
    return page;
  }

  /** The class's progress as of now; null: unknown or not the scope's class. */
  async classProgress(scope: AccessScope, classId: string): Promise<ClassProgressView | null> {
    const klass = await this.overview.klass(scope, classId);
    if (!klass) return null;
    // The scope allowed the class: its progress is the same for every viewer, read once per
    // change of the school's data (and minute of the clock).
    return readCacheOf(this.app).read(`class-progress:${klass.id}`, [klass.schoolId], () =>
      this.readProgress(klass),
    );
  }

  private async readProgress(klass: ClassSummary): Promise<ClassProgressView> {
    const asOf = this.app.clock.now();
    try {
      const [sheet, summary] = await Promise.all([
        this.progress.classSheet({ school: klass.schoolId, class: klass.id, asOf }),
        this.progress.forecastSummary({ school: klass.schoolId, classes: [klass.id], asOf }),
      ]);
      return { klass, sheet, forecast: summary.classes[0] ?? null, note: null };
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      return { klass, sheet: null, forecast: null, note: 'нет учебных периодов класса в зеркале' };
    }
  }
}
