import { UsersService } from '@coinops/economy';
import { Ledger } from '@coinops/ledger';
import { ReviewService } from '@coinops/reviews';
import { RiskEngine } from '@coinops/risk';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReviewSlaController } from './review-sla.controller';
import { ReviewsController } from './reviews.controller';
import { UserCaseworkController } from './user-casework.controller';

/**
 * Review items, decisions and trust and safety's work on users over HTTP. Uses the process's one
 * Ledger and UsersService (EconomyModule) and RiskEngine (RiskModule), both global.
 */
@Module({
  controllers: [ReviewsController, ReviewSlaController, UserCaseworkController],
  providers: [
    {
      provide: ReviewService,
      inject: [DataSource, Ledger, RiskEngine, UsersService],
      useFactory: (dataSource: DataSource, ledger: Ledger, risk: RiskEngine, users: UsersService) => new ReviewService(dataSource, { ledger, risk, users }),
    },
  ],
})
export class ReviewsModule {}
